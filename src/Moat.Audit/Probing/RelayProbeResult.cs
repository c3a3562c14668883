namespace Moat.Audit.Probing;

/// <summary>One open-relay probe: the trick tried, the envelope used, every reply, and whether the server took the recipient.</summary>
public sealed record RelayProbeResult(string Trick, string MailFrom, string RcptTo, IReadOnlyList<string> Replies, bool Accepted);
