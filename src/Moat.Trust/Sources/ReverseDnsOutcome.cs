namespace Moat.Trust.Sources;

/// <summary>The forward-confirmed reverse DNS part of a <see cref="SenderSystemReport"/>.</summary>
internal sealed record ReverseDnsOutcome(SenderCheckResult Result, IReadOnlyList<string> PtrNames, string? ConfirmedName, IReadOnlyList<string> Evidence);
