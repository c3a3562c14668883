namespace Moat.Trust.Challenges;

/// <summary>A message kept in the hold state, as a digest lists it.</summary>
public sealed record HeldMessage(string Id, string Sender, IReadOnlyList<string> Recipients, string? Subject, DateTimeOffset ReceivedAt);
