namespace Moat.Storage.AccessLog;

/// <summary>
/// What to write to the access log; the log adds the sequence number, the time and the hashes.
/// </summary>
/// <param name="Actor">Who did it: an account (<c>alice@example.org</c>), <c>cli:USER</c> for a command run by a local user, or <c>system</c>.</param>
/// <param name="Action">One of <see cref="AccessActions"/>.</param>
/// <param name="MessageId">The message concerned (queue id), if any.</param>
/// <param name="DataSubjects">
/// Whose mail or data it is (for a message: its recipients and its sender), so each user can see
/// who accessed theirs. Stored lower case, without duplicates.
/// </param>
/// <param name="Reason">Why, as the actor stated it.</param>
/// <param name="Detail">What exactly (a setting's hash, how many entries, a file name); never message content.</param>
public sealed record AccessLogRecord(
    string Actor,
    string Action,
    string? MessageId = null,
    IReadOnlyList<string>? DataSubjects = null,
    string? Reason = null,
    string? Detail = null);
