using Moat.Cli.Tests.Support;

namespace Moat.Cli.Tests.Web;

/// <summary>
/// The web host used to watch its working directory recursively for configuration files; with the
/// data folder below it, every spool rename cost the gateway a watcher event.
/// </summary>
public sealed class WebHostFileWatchTests
{
    [Fact]
    public async Task TheGatewayWithItsWebListenerWatchesNoFiles()
    {
        await using var moat = await MoatProcess.StartAsync(GatewayConfiguration.Create());

        var watches = Directory.GetFiles($"/proc/{moat.ProcessId}/fdinfo")
            .Select(file => { try { return File.ReadAllText(file); } catch (IOException) { return string.Empty; } })
            .Sum(info => info.Split('\n').Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));

        Assert.Equal(0, watches);
    }
}
