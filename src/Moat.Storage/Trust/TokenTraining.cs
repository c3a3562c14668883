namespace Moat.Storage.Trust;

/// <summary>One message learned as ham or spam: its distinct content tokens (keyed hashes, never words).</summary>
public sealed record TokenTraining(IReadOnlyCollection<long> Tokens, bool IsSpam);
