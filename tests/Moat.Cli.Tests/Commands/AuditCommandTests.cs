using System.Globalization;
using System.Text.Json;
using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary>
/// <c>moat audit</c> run as the real executable against real servers on loopback — Moat itself,
/// aiosmtpd, Postfix's smtp-sink (in the MX, on 127.0.0.1) and a second smtp-sink on 127.0.0.2
/// that no MX names — with a real NSD serving the domains. Judged by the JSON and HTML reports
/// and the exit code. (The Postfix end-to-end tests live in Moat.Audit.Tests/EndToEnd, next to
/// the Postfix test server.)
/// </summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly TempFolder folder = new("moat-audit");

    [Fact]
    public async Task AnAuditOfSeveralServersReportsEachByItsSeverityAndExitsWithTheHighest()
    {
        await using var moat = await MoatProcess.StartAsync(GatewayConfiguration.Create().TrustNoClient());
        using var aiosmtpd = await AioSmtpdServer.StartAsync();
        using var sink = await SmtpSinkServer.StartAsync(dump: true);
        using var offMx = await SmtpSinkServer.StartAsync(dump: false, address: System.Net.IPAddress.Parse("127.0.0.2"));
        using var dns = await NsdServer.StartAsync(
            new DnsZone("example.test")
                .Mx("@", 10, "mx")
                .A("mx", "127.0.0.1")
                .Txt("@", "v=spf1 mx -all")
                .Txt("_dmarc", "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"),
            new DnsZone("careless.test")
                .Mx("@", 10, "mx")
                .A("mx", "127.0.0.1"));
        var moatPort = moat.Configuration.SmtpPort();

        var result = await MoatProcess.RunAsync(
            "audit",
            "--domain", "example.test,careless.test",
            "--hosts", "127.0.0.1,127.0.0.2",
            "--ports", string.Join(",", moatPort, aiosmtpd.Port, sink.Port, offMx.Port),
            "--dns-server", dns.NameServer,
            "--json", folder.Combine("audit.json"),
            "--html", folder.Combine("audit.html"),
            "--data", folder.Combine("data"));

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("Scans only the targets given: domains example.test, careless.test; addresses 127.0.0.1, 127.0.0.2", result.StandardOutput);
        Assert.Contains("at most 50 connection attempts per second, 32 connections at once", result.StandardOutput);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(folder.Combine("audit.json")));
        var root = json.RootElement;
        Assert.Equal("critical", root.GetProperty("summary").GetProperty("highestSeverity").GetString());
        var listeners = root.GetProperty("listeners").EnumerateArray().ToDictionary(l => l.GetProperty("endpoint").GetString()!);
        var findings = root.GetProperty("findings").EnumerateArray().ToArray();
        string[] IdsAt(string endpoint, params string[] severities) => findings
            .Where(f => f.GetProperty("target").GetString() == endpoint && (severities.Length == 0 || severities.Contains(f.GetProperty("severity").GetString())))
            .Select(f => f.GetProperty("id").GetString()!)
            .ToArray();

        var moatAt = $"127.0.0.1:{moatPort}";
        Assert.Equal("Moat", Product(listeners[moatAt]));
        Assert.True(listeners[moatAt].GetProperty("inMx").GetBoolean());
        Assert.Equal("mx.example.test", listeners[moatAt].GetProperty("hostName").GetString());
        Assert.Empty(IdsAt(moatAt, "low", "medium", "high", "critical"));
        Assert.Contains("product-identified", IdsAt(moatAt));
        Assert.DoesNotContain(listeners[moatAt].GetProperty("relayProbes").EnumerateArray(), p => p.GetProperty("accepted").GetBoolean());

        var aioAt = $"127.0.0.1:{aiosmtpd.Port}";
        Assert.Equal("aiosmtpd", Product(listeners[aioAt]));
        Assert.Contains("open-relay", IdsAt(aioAt, "critical"));
        Assert.Contains("version-leak", IdsAt(aioAt, "medium"));

        var sinkAt = $"127.0.0.1:{sink.Port}";
        Assert.Equal("Postfix smtp-sink", Product(listeners[sinkAt]));
        Assert.Contains("open-relay", IdsAt(sinkAt, "critical"));
        Assert.Contains("user-enumeration", IdsAt(sinkAt, "medium"));
        Assert.Equal(0, sink.MessageCount);

        var offMxAt = $"127.0.0.2:{offMx.Port}";
        Assert.False(listeners[offMxAt].GetProperty("inMx").GetBoolean());
        Assert.Contains("not-in-mx", IdsAt(offMxAt, "medium"));
        var notInMx = findings.Where(f => f.GetProperty("id").GetString() == "not-in-mx").Select(f => f.GetProperty("target").GetString()!).ToArray();
        Assert.Equal([offMxAt], notInMx);

        Assert.Equal(["no-mta-sts", "no-tls-rpt"], IdsAt("example.test"));
        Assert.Contains("no-spf", IdsAt("careless.test", "low"));
        Assert.Contains("no-dmarc", IdsAt("careless.test", "low"));

        var severities = findings.Select(f => Rank(f.GetProperty("severity").GetString()!)).ToArray();
        Assert.Equal(severities.OrderDescending(), severities);
        Assert.Empty(aiosmtpd.Messages());

        var html = await File.ReadAllTextAsync(folder.Combine("audit.html"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("Reachable mail server not in MX: protect it like the MX hosts", html, StringComparison.Ordinal);
        Assert.Contains(offMxAt, html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(findings.Length, CountOccurrences(html, "<tr><td><span class=\"sev "));
    }

    [Fact]
    public async Task MoatAloneWithGoodDnsHasNothingAboveInfoAndExitsZero()
    {
        await using var moat = await MoatProcess.StartAsync(GatewayConfiguration.Create().TrustNoClient());
        using var dns = await NsdServer.StartAsync(
            new DnsZone("example.test")
                .Mx("@", 10, "mx")
                .A("mx", "127.0.0.1")
                .Txt("@", "v=spf1 mx -all")
                .Txt("_dmarc", "v=DMARC1; p=reject"));

        var result = await MoatProcess.RunAsync(
            "audit", "--domain", "example.test", "--ports", moat.Configuration.SmtpPort().ToString(CultureInfo.InvariantCulture),
            "--dns-server", dns.NameServer, "--data", folder.Combine("data"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Highest: nothing above info.", result.StandardOutput);
        Assert.Contains("Identified as Moat", result.StandardOutput);

        // The self-signed certificate shows, as info: on an MX without MTA-STS senders do not verify it.
        Assert.Contains("[info] certificate-untrusted", result.StandardOutput);
    }

    [Fact]
    public async Task UpdateDataInstallsAdvisoriesThatThenRaiseTheExitCode()
    {
        using var aiosmtpd = await AioSmtpdServer.StartAsync();
        var port = aiosmtpd.Port.ToString(CultureInfo.InvariantCulture);
        var data = folder.Combine("data");
        string[] audit = ["audit", "--hosts", "127.0.0.1", "--ports", port, "--no-relay-probes", "--data", data, "--json", folder.Combine("audit.json")];

        var before = await MoatProcess.RunAsync(audit);

        // A version in the banner and no STARTTLS: medium.
        Assert.True(before.ExitCode == 4, before.ToString());
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(folder.Combine("audit.json"))))
        {
            var listener = json.RootElement.GetProperty("listeners").EnumerateArray().Single(l => l.GetProperty("port").GetInt32() == aiosmtpd.Port);
            Assert.Empty(listener.GetProperty("relayProbes").EnumerateArray());
            Assert.False(json.RootElement.GetProperty("scope").GetProperty("relayProbes").GetBoolean());
            Assert.DoesNotContain(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "not-in-mx");
        }

        var version = Version(before.StandardOutput);
        await File.WriteAllTextAsync(folder.Combine("advisories.json"), $$"""
            {
              "date": "2099-01-01",
              "advisories": [
                {
                  "id": "CVE-2099-0001",
                  "product": "aiosmtpd",
                  "affected": [ { "range": "<={{version}}", "fixed": "99.0" } ],
                  "severity": "high",
                  "summary": "A test advisory covering the installed aiosmtpd."
                }
              ]
            }
            """);

        var update = await MoatProcess.RunAsync("audit", "update-data", folder.Combine("advisories.json"), "--data", data);

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains("Installed vulnerability data of 2099-01-01 (1 advisories)", update.StandardOutput);

        var after = await MoatProcess.RunAsync(audit);

        Assert.True(after.ExitCode == 5, after.ToString());
        Assert.Contains($"[high] cve 127.0.0.1:{port}: CVE-2099-0001: aiosmtpd {version} is affected", after.StandardOutput);
        Assert.Contains("A test advisory covering the installed aiosmtpd.", after.StandardOutput);
        Assert.Contains("fix: Upgrade aiosmtpd to 99.0 or later", after.StandardOutput);
        Assert.Contains("Vulnerability data: 2099-01-01", after.StandardOutput);
    }

    [Fact]
    public async Task UpdateDataRefusesInvalidDataAndChangesNothing()
    {
        await File.WriteAllTextAsync(folder.Combine("bad.json"), """{ "date": "2099-01-01", "advisories": [ { "id": "CVE-1" } ] }""");

        var result = await MoatProcess.RunAsync("audit", "update-data", folder.Combine("bad.json"), "--data", folder.Combine("data"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Nothing was changed", result.StandardError);
        Assert.False(File.Exists(folder.Combine("data", "audit-vulnerabilities.json")));
    }

    [Theory]
    [InlineData("--hosts", "10.0.0.0/8", "larger than /16")]
    [InlineData("--hosts", "192.0.2.5/28", "has host bits set")]
    [InlineData("--ports", "70000", "is not a TCP port")]
    public async Task TargetsThatCannotBeAuditedAreRefusedWithExitCode2(string option, string value, string message)
    {
        string[] arguments = option == "--ports" ? ["audit", "--hosts", "127.0.0.1", option, value] : ["audit", option, value];

        var result = await MoatProcess.RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.StandardError);
    }

    [Fact]
    public async Task NoTargetsIsAConfigurationError()
    {
        var result = await MoatProcess.RunAsync("audit");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no targets", result.StandardError);
    }

    public void Dispose() => folder.Dispose();

    private static string Product(JsonElement listener) =>
        listener.GetProperty("fingerprint").GetProperty("product").GetString()!;

    /// <summary>The version the audit read from aiosmtpd's banner, from its "Identified as aiosmtpd X" line.</summary>
    private static string Version(string output)
    {
        const string marker = "Identified as aiosmtpd ";
        var at = output.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        var rest = output[(at + marker.Length)..];
        return rest[..rest.IndexOf(' ', StringComparison.Ordinal)];
    }

    private static int Rank(string severity) => Array.IndexOf(["info", "low", "medium", "high", "critical"], severity);

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
