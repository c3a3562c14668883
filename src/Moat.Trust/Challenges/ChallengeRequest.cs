namespace Moat.Trust.Challenges;

/// <summary>What a challenge needs to know about the held message.</summary>
public sealed record ChallengeRequest(string Sender, string Recipient, string? Subject, string? MessageId);
