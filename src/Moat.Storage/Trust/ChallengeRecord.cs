namespace Moat.Storage.Trust;

/// <summary>
/// One challenge sent to an unknown sender on behalf of a local recipient. <see cref="Id"/> is
/// the random identifier carried (signed) in the challenge address and link.
/// </summary>
public sealed record ChallengeRecord(
    string Id,
    string Sender,
    string Recipient,
    DateTimeOffset Sent,
    DateTimeOffset? Confirmed = null);
