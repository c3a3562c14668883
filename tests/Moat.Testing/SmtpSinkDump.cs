namespace Moat.Testing;

/// <summary>
/// One transaction as smtp-sink dumped it. smtp-sink writes its own X-* envelope lines and a
/// Received header, then the message (LF line ends, dot-unstuffed, one extra empty line at the end);
/// <see cref="Body"/> is that part after its Received header.
/// </summary>
public sealed record SmtpSinkDump(string MailFrom, IReadOnlyList<string> Recipients, string Helo, string Body);
