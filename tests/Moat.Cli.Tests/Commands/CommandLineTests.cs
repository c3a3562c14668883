using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary>The one-shot commands, run as the real executable.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task ConfigCheckAcceptsTheEmbeddedDefault()
    {
        var result = await MoatProcess.RunAsync("config", "check", "--data", Path.GetTempPath());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("listener         inbound: 127.0.0.1:2525", result.StandardOutput);
        Assert.Contains("example.test -> maildir", result.StandardOutput);
        Assert.Contains("web              http://127.0.0.1:8025/", result.StandardOutput);
        Assert.Contains("metrics          http://127.0.0.1:8025/metrics", result.StandardOutput);
    }

    [Fact]
    public async Task ConfigCheckNamesTheKeyAndTheFix()
    {
        using var folder = new TempFolder("moat-config");
        var file = folder.Combine("moat.json");
        await File.WriteAllTextAsync(file, """
            {
              "listeners": [ { "name": "inbound", "address": "not-an-ip", "port": 70000, "role": "sideways" } ],
              "relay": { "trustedNetworks": [ "10.1" ] },
              "pipeline": { "order": [ "size", "sender" ] }
            }
            """);

        var result = await MoatProcess.RunAsync("config", "check", "--config", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("listeners[0].address", result.StandardError);
        Assert.Contains("listeners[0].port", result.StandardError);
        Assert.Contains("listeners[0].role", result.StandardError);
        Assert.Contains("relay.trustedNetworks", result.StandardError);
        Assert.Contains("open relay", result.StandardError);
        Assert.Contains("fix:", result.StandardError);
    }

    [Fact]
    public async Task ListContentScoresMustBeScores()
    {
        using var folder = new TempFolder("moat-config");
        var file = folder.Combine("moat.json");
        await File.WriteAllTextAsync(file, """{ "trust": { "listContent": { "spamScore": 90 } } }""");

        var result = await MoatProcess.RunAsync("config", "check", "--config", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("trust.listContent", result.StandardError);
        Assert.Contains("between 0 and 1", result.StandardError);
    }

    [Fact]
    public async Task ATypeMistakeIsReportedWithItsKey()
    {
        using var folder = new TempFolder("moat-config");
        var file = folder.Combine("moat.json");
        await File.WriteAllTextAsync(file, """{ "smtp": { "maxRecipients": "many" } }""");

        var result = await MoatProcess.RunAsync("config", "check", "--config", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Smtp:MaxRecipients", result.StandardError);
    }

    [Fact]
    public async Task AWebListenerOnTheNetworkNeedsHttpsAndRetentionMustBePositive()
    {
        using var folder = new TempFolder("moat-config");
        var file = folder.Combine("moat.json");
        await File.WriteAllTextAsync(file, """
            {
              "web": { "listen": "0.0.0.0:8025" },
              "privacy": { "heldMailRetention": "-1.00:00:00", "noticeFile": "/nonexistent/notice.txt" }
            }
            """);

        var result = await MoatProcess.RunAsync("config", "check", "--config", file, "--data", folder.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("web.https", result.StandardError);
        Assert.Contains("privacy.heldMailRetention", result.StandardError);
        Assert.Contains("privacy.noticeFile", result.StandardError);
    }

    [Fact]
    public async Task BrokenJsonAndMissingFilesAreReported()
    {
        using var folder = new TempFolder("moat-config");
        var broken = folder.Combine("moat.json");
        await File.WriteAllTextAsync(broken, "{ \"hostName\": ");

        var bad = await MoatProcess.RunAsync("config", "check", "--config", broken);
        var missing = await MoatProcess.RunAsync("serve", "--config", "/nonexistent/moat.json");

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not valid JSON", bad.StandardError);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardError);
    }

    [Fact]
    public async Task EnvironmentOverridesTheFile()
    {
        var result = await MoatProcess.RunAsync(
            new Dictionary<string, string> { ["MOAT_LISTENERS__0__PORT"] = "2600", ["MOAT_LISTENERS__0__NAME"] = "inbound" },
            "config", "check", "--data", Path.GetTempPath());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(":2600", result.StandardOutput);
    }

    [Fact]
    public async Task PipelineExplainPrintsTheConfiguredOrder()
    {
        var result = await MoatProcess.RunAsync("pipeline", "explain", "--data", Path.GetTempPath());

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.StandardOutput;
        Assert.True(output.IndexOf("1. size", StringComparison.Ordinal) < output.IndexOf("2. sender", StringComparison.Ordinal));
        Assert.Contains("Rcpt:", output);
        Assert.Contains("relay", output);
    }

    [Fact]
    public async Task VersionIsPrinted()
    {
        var result = await MoatProcess.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("moat ", result.StandardOutput);
    }
}
