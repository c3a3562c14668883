namespace Moat.Testing;

/// <summary>A message as a test SMTP server received it: envelope, connection details and the exact bytes.</summary>
/// <param name="MailFrom">The reverse-path; empty for &lt;&gt;.</param>
/// <param name="PeerPort">The client's source port: distinct ports mean distinct connections.</param>
/// <param name="Tls">The message came over a connection secured by STARTTLS.</param>
public sealed record ReceivedMessage(
    string Name,
    string MailFrom,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> MailOptions,
    IReadOnlyList<string> RecipientOptions,
    string Helo,
    int PeerPort,
    bool Tls,
    byte[] Content);
