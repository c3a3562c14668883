namespace Moat.Trust.Challenges;

/// <summary>What answering a challenge did.</summary>
public sealed record ConfirmationResult(ConfirmationStatus Status, string? Sender = null, int Released = 0);
