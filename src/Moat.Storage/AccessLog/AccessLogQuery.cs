namespace Moat.Storage.AccessLog;

/// <summary>
/// Which entries <see cref="IAccessLog.ListAsync"/> returns, newest first. The filters are exact
/// matches and combine with AND; <see cref="DataSubject"/> is compared in lower case.
/// </summary>
/// <param name="Limit">At most this many entries (at least 1).</param>
/// <param name="BeforeSequence">Only entries with a smaller sequence number: the next page after the last entry seen.</param>
public sealed record AccessLogQuery(
    string? DataSubject = null,
    string? Actor = null,
    string? MessageId = null,
    int Limit = 100,
    long? BeforeSequence = null);
