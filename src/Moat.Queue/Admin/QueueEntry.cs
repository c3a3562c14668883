using Moat.Queue.Spool;

namespace Moat.Queue.Admin;

/// <summary>One line of <c>moat queue list</c>.</summary>
public sealed record QueueEntry(
    string Id,
    QueueState State,
    long Size,
    TimeSpan Age,
    string Sender,
    int RecipientCount,
    int PendingCount,
    string? LastError,
    DateTimeOffset? NextAttemptAt);
