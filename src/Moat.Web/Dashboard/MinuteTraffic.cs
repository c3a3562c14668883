namespace Moat.Web.Dashboard;

/// <summary>Messages received and sent in one clock minute.</summary>
/// <param name="Minute">The minute's start (UTC).</param>
public sealed record MinuteTraffic(DateTimeOffset Minute, long In, long Out);
