namespace Moat.Storage.AccessLog;

/// <summary>
/// One entry of the access log as stored. <see cref="Hash"/> is
/// <see cref="AccessLogHasher.Compute(AccessLogEntry)"/> of the other fields, and
/// <see cref="PreviousHash"/> is the <see cref="Hash"/> of entry <see cref="Sequence"/> − 1
/// (<see cref="AccessLogHasher.GenesisHash"/> for the first entry ever written), so editing or
/// deleting an entry breaks the chain from there on.
/// </summary>
/// <param name="Sequence">1, 2, 3, … without gaps.</param>
/// <param name="At">When it was written, UTC, to the millisecond.</param>
/// <param name="DataSubjects">Lower case, sorted, without duplicates; empty when nobody's mail was concerned.</param>
public sealed record AccessLogEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? MessageId,
    IReadOnlyList<string> DataSubjects,
    string? Reason,
    string? Detail,
    string PreviousHash,
    string Hash);
