namespace Moat.Web.Dashboard;

/// <summary>The dashboard's figures at one moment.</summary>
public sealed record DashboardSnapshot(DateTimeOffset At, int MessagesInLastMinute, int MessagesOutLastMinute);
