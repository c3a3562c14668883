using Moat.Bench.Trust.Model;

namespace Moat.Bench.Trust.Simulation;

/// <summary>A message in the hold state, as the queue keeps it: envelope sender, recipient, reason, arrival.</summary>
internal sealed record HeldItem(string Id, InboundMail Mail, string Sender, string Recipient, string Reason, DateTimeOffset Arrived);
