namespace Moat.Scanning.Content;

/// <summary>What a bounded copy produced: the bytes read, their hash, and whether the source was read to its end.</summary>
internal sealed record CopyResult(SpooledContent Content, string Hash, bool Complete);
