namespace Moat.Web.TrustLists;

/// <summary>A challenge still waiting for its sender's answer, as administrators see it.</summary>
/// <param name="Expires">When the answer stops counting and the held mail is dropped.</param>
public sealed record PendingChallenge(string Sender, string Recipient, DateTimeOffset Created, DateTimeOffset Expires);
