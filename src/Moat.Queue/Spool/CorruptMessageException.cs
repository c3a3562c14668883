namespace Moat.Queue.Spool;

/// <summary>A spool file failed its checksum or could not be parsed.</summary>
public sealed class CorruptMessageException(string id, string reason) : Exception($"queue file {id} is corrupt: {reason}")
{
    public string Id { get; } = id;

    public string Reason { get; } = reason;
}
