namespace Moat.Trust.Sources;

/// <summary>The HELO part of a <see cref="SenderSystemReport"/>.</summary>
internal sealed record HeloOutcome(SenderCheckResult Result, HeloFinding Finding, bool? ResolvesToClient, IReadOnlyList<string> Evidence);
