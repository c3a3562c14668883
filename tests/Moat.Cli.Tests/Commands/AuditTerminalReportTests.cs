using System.Net;
using Moat.Audit;
using Moat.Audit.Discovery;
using Moat.Audit.Findings;
using Moat.Audit.Probing;
using Moat.Audit.Targets;
using Moat.Cli.Commands;
using Spectre.Console;

namespace Moat.Cli.Tests.Commands;

public sealed class AuditTerminalReportTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData(Severity.Info, 0)]
    [InlineData(Severity.Low, 3)]
    [InlineData(Severity.Medium, 4)]
    [InlineData(Severity.High, 5)]
    [InlineData(Severity.Critical, 6)]
    public void TheExitCodeFollowsTheHighestSeverity(Severity? highest, int exitCode)
    {
        Assert.Equal(exitCode, AuditCommand.ExitCodeFor(highest));
    }

    [Fact]
    public void PlainOutputShowsEachFindingWithItsEvidenceAndFix()
    {
        using var output = new StringWriter();

        AuditTerminalReport.WritePlain(output, Sample());

        var text = output.ToString();
        Assert.StartsWith("Scans only the targets given: addresses 192.0.2.1; ports 25, 465, 587, 2525", text, StringComparison.Ordinal);
        Assert.Contains("listener 192.0.2.1:25: Postfix 3.7.11 (90%), in MX: unknown", text, StringComparison.Ordinal);
        Assert.Contains("[critical] open-relay 192.0.2.1:25: Open relay\n    [external-to-external]\n    S: 250 2.1.5 Ok\n  fix: Stop relaying.", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Findings: 1 critical, 0 high, 0 medium, 1 low, 0 info. Highest: critical.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TablesGroupFindingsBySeverity()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = 160;

        AuditTerminalReport.WriteTables(console, Sample());

        var text = output.ToString();
        Assert.Contains("critical (1)", text, StringComparison.Ordinal);
        Assert.Contains("low (1)", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("critical (1)", StringComparison.Ordinal) < text.IndexOf("low (1)", StringComparison.Ordinal));
        Assert.Contains("[external-to-external]", text, StringComparison.Ordinal);
        Assert.Contains("Scans only the targets given", text, StringComparison.Ordinal);
    }

    private static AuditResult Sample()
    {
        var scope = TargetParser.Parse([], ["192.0.2.1"], null).Scope!;
        var endpoint = new ListenerEndpoint(IPAddress.Parse("192.0.2.1"), 25);
        var observation = new ListenerObservation
        {
            Endpoint = endpoint,
            Greeting = ["220 mx.example.org ESMTP Postfix 3.7.11"],
            Fingerprint = new Moat.Audit.Fingerprints.Fingerprint("Postfix", "3.7.11", 0.9, []),
        };
        var at = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        return new AuditResult
        {
            Scope = scope,
            Rate = 50,
            Concurrency = 32,
            RelayProbes = true,
            DnsServers = "system resolver",
            Started = at,
            Finished = at.AddSeconds(1),
            Addresses = [new PlannedAddress(endpoint.Address, null, "address")],
            Ports = scope.Ports,
            Scan = new PortScanResult { Open = [endpoint], Attempted = 4 },
            Listeners = [new AuditedListener(observation, null, [], [])],
            Findings =
            [
                new Finding(Severity.Critical, FindingIds.OpenRelay, "Open relay", endpoint.ToString(), ["[external-to-external]", "S: 250 2.1.5 Ok"], "Stop relaying."),
                new Finding(Severity.Low, FindingIds.ProductLeak, "Product leak", endpoint.ToString(), ["S: 220 mx.example.org ESMTP Postfix"], "Hide it."),
            ],
        };
    }
}
