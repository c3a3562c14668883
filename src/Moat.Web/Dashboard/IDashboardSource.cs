namespace Moat.Web.Dashboard;

/// <summary>The live figures the dashboard shows; the host gathers them from the running gateway.</summary>
public interface IDashboardSource
{
    DashboardSnapshot GetSnapshot();
}
