namespace Moat.Bench.Trust.Simulation;

/// <summary>A legitimate sender's reply to a challenge, due at some time after it was sent.</summary>
internal sealed record PendingAnswer(string ReplyAddress, string Sender, DateTimeOffset Due);
