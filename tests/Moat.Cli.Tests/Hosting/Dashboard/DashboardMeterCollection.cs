namespace Moat.Cli.Tests.Hosting.Dashboard;

/// <summary>
/// The collector hears every "Moat.Gateway", "Moat.Queue" and "Moat.Scanning" instrument of the
/// process, as it must in the gateway; its tests therefore run alone, so that measurements of
/// tests running meanwhile cannot change the counts they check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardMeterCollection
{
    public const string Name = "Dashboard meters";
}
