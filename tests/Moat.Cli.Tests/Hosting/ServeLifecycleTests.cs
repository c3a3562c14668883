using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Hosting;

/// <summary>Starting and stopping <c>moat serve</c> the way an init system does.</summary>
public sealed class ServeLifecycleTests
{
    [Fact]
    public async Task SigtermStopsTheGatewayInOrder()
    {
        await using var moat = await MoatProcess.StartAsync(GatewayConfiguration.Create());

        await moat.StopAsync();

        Assert.True(moat.HasExited);
        Assert.True(moat.ExitCode == 0, $"exit code {moat.ExitCode}; output:\n{moat.Output}");
        Assert.Contains("Stopping", moat.Output);
        Assert.Contains("Stopped", moat.Output);
    }

    [Fact]
    public async Task SigtermDuringStartupStillStopsInOrder()
    {
        // The first log line comes long before the listeners open: a SIGTERM here used to meet
        // no handler at all and kill the process with exit code 143.
        await using var moat = await MoatProcess.LaunchAsync(GatewayConfiguration.Create());
        await moat.WaitForOutputAsync("Queue recovery");

        await moat.StopAsync();

        Assert.True(moat.ExitCode == 0, $"exit code {moat.ExitCode}; output:\n{moat.Output}");
        Assert.Contains("Stopped", moat.Output);
    }

    [Fact]
    public async Task ASecondGatewayOnTheSameDataFolderRefusesToStart()
    {
        await using var first = await MoatProcess.StartAsync(GatewayConfiguration.Create());
        var second = GatewayConfiguration.Create();
        await File.WriteAllTextAsync(Path.Combine(first.Folder, "second.json"), second.ToJsonString());

        var result = await MoatProcess.RunAsync("serve", "--config", Path.Combine(first.Folder, "second.json"), "--data", first.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("another queue manager is running", result.StandardOutput + result.StandardError);
        Assert.Contains("--data", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task APortInUseIsReportedWithTheFix()
    {
        await using var first = await MoatProcess.StartAsync(GatewayConfiguration.Create());
        var clash = GatewayConfiguration.Create(first.Configuration.SmtpPort());
        using var folder = new TempFolder("moat-clash");
        await File.WriteAllTextAsync(folder.Combine("moat.json"), clash.ToJsonString());

        var result = await MoatProcess.RunAsync("serve", "--config", folder.Combine("moat.json"), "--data", folder.Combine("data"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cannot listen", result.StandardOutput + result.StandardError);
    }
}
