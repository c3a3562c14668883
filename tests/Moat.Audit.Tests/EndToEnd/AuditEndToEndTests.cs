using System.Text.Json;
using Moat.Audit.Findings;
using Moat.Audit.Fingerprints;
using Moat.Audit.Reporting;
using Xunit.Abstractions;

namespace Moat.Audit.Tests.EndToEnd;

/// <summary>
/// One <see cref="AuditRunner"/> run against real servers (see <see cref="AuditEnvironment"/>),
/// judged finding by finding. The CLI's own end-to-end tests (Moat.Cli.Tests, AuditCommandTests)
/// run the moat executable against Moat itself, aiosmtpd and smtp-sink.
/// </summary>
[Collection("Postfix")]
public sealed class AuditEndToEndTests(AuditEnvironment environment, ITestOutputHelper output) : IClassFixture<AuditEnvironment>
{
    private AuditResult Result => environment.Result;

    [Fact]
    public void Fingerprints_name_each_product()
    {
        var leaky = environment.Listener(environment.Leaky.Port).Observation.Fingerprint;
        Assert.Equal(ProductNames.Postfix, leaky.Product);
        Assert.Equal(environment.Leaky.Version, leaky.Version);
        Assert.Equal(ProductNames.Postfix, environment.Listener(environment.Hardened.Port).Observation.Fingerprint.Product);
        Assert.Equal(ProductNames.PostfixSmtpSink, environment.Listener(environment.Sink.Port).Observation.Fingerprint.Product);
        Assert.Equal(ProductNames.Aiosmtpd, environment.Listener(environment.Aiosmtpd.Port).Observation.Fingerprint.Product);
        Assert.Equal(ProductNames.PostfixSmtpSink, environment.Listener(environment.OffMx.Port, environment.OffMx.Address).Observation.Fingerprint.Product);
        Assert.Contains(Result.Findings, f => f.Id == FindingIds.ProductIdentified && f.Target == Target(environment.Leaky.Port) && f.Title.StartsWith($"Identified as Postfix {environment.Leaky.Version}", StringComparison.Ordinal));
    }

    [Fact]
    public void Leaky_postfix_is_an_open_relay_with_every_accepted_trick_in_one_critical_finding()
    {
        var relay = Assert.Single(At(environment.Leaky.Port), f => f.Id == FindingIds.OpenRelay);

        Assert.Equal(Severity.Critical, relay.Severity);
        var accepted = environment.Listener(environment.Leaky.Port).Observation.RelayProbes.Where(p => p.Accepted).ToArray();
        Assert.NotEmpty(accepted);
        Assert.All(accepted, p => Assert.Contains($"[{p.Trick}]", relay.Evidence));
        Assert.Contains("S: 250 2.1.5 Ok", relay.Evidence);
    }

    [Fact]
    public void Leaky_postfix_leaks_its_version_and_confirms_users_and_matches_the_advisory()
    {
        var findings = At(environment.Leaky.Port);

        var leak = Assert.Single(findings, f => f.Id == FindingIds.VersionLeak);
        Assert.Equal(Severity.Medium, leak.Severity);
        Assert.Equal([$"S: 220 {environment.Leaky.HostName} ESMTP Postfix {environment.Leaky.Version} (Debian)"], leak.Evidence);

        var users = Assert.Single(findings, f => f.Id == FindingIds.UserEnumeration);
        Assert.Equal(Severity.Medium, users.Severity);
        Assert.StartsWith("VRFY confirms which users exist", users.Title, StringComparison.Ordinal);
        Assert.Contains("C: VRFY root", users.Evidence);
        Assert.Contains("S: 252 2.0.0 root", users.Evidence);

        var cve = Assert.Single(findings, f => f.Id == FindingIds.KnownVulnerability);
        Assert.Equal(Severity.High, cve.Severity);
        Assert.Equal(leak.Evidence[0], cve.Evidence[0]);
        Assert.StartsWith("Upgrade Postfix to 99.0.0 or later", cve.Fix, StringComparison.Ordinal);

        Assert.Contains(findings, f => f.Id == FindingIds.StartTlsMissing && f.Severity == Severity.Medium);
    }

    [Fact]
    public void Hardened_postfix_is_no_open_relay_and_shows_nothing_above_low()
    {
        var observation = environment.Listener(environment.Hardened.Port).Observation;
        var findings = At(environment.Hardened.Port);

        Assert.NotEmpty(observation.RelayProbes);
        Assert.DoesNotContain(observation.RelayProbes, p => p.Accepted);
        Assert.DoesNotContain(findings, f => f.Id == FindingIds.OpenRelay);
        Assert.All(findings, f => Assert.True(f.Severity <= Severity.Low, $"{f.Severity} {f.Id}: {f.Title}"));

        // The default banner still names Postfix; its self-signed certificate is on an MX without MTA-STS.
        Assert.Contains(findings, f => f.Id == FindingIds.ProductLeak && f.Severity == Severity.Low);
        Assert.Contains(findings, f => f.Id == FindingIds.CertificateUntrusted && f.Severity == Severity.Info);
        Assert.DoesNotContain(findings, f => f.Id is FindingIds.CertificateWrongName or FindingIds.UserEnumeration or FindingIds.KnownVulnerability);
    }

    [Fact]
    public void Smtp_sink_and_aiosmtpd_accept_every_recipient_so_both_are_open_relays()
    {
        Assert.Contains(At(environment.Sink.Port), f => f.Id == FindingIds.OpenRelay && f.Severity == Severity.Critical);
        Assert.Contains(At(environment.Aiosmtpd.Port), f => f.Id == FindingIds.OpenRelay && f.Severity == Severity.Critical);
        Assert.Contains(At(environment.Aiosmtpd.Port), f => f.Id == FindingIds.VersionLeak);

        // Stopped before DATA: nothing arrived.
        Assert.Equal(0, environment.Sink.MessageCount);
        Assert.Empty(environment.Aiosmtpd.Messages());
    }

    [Fact]
    public void Only_the_listener_no_mx_names_is_reported_as_not_in_mx()
    {
        var offMx = $"{environment.OffMx.Address}:{environment.OffMx.Port}";

        var finding = Assert.Single(Result.Findings, f => f.Id == FindingIds.NotInMx);

        Assert.Equal(offMx, finding.Target);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Reachable mail server not in MX: protect it like the MX hosts", finding.Title);
        Assert.Contains("MX: audit-e2e.test. 60 IN MX 10 mx.audit-e2e.test.", finding.Evidence);
        Assert.False(environment.Listener(environment.OffMx.Port, environment.OffMx.Address).InMx);
        Assert.True(environment.Listener(environment.Leaky.Port).InMx);
    }

    [Fact]
    public void Dns_findings_follow_the_records()
    {
        string[] Ids(string domain) => Result.Findings.Where(f => f.Target == domain).Select(f => f.Id).ToArray();

        Assert.Equal([FindingIds.DmarcNone, FindingIds.NoMtaSts, FindingIds.NoTlsRpt], Ids(AuditEnvironment.Domain));
        Assert.Equal([FindingIds.NoSpf, FindingIds.NoDmarc, FindingIds.NoMtaSts, FindingIds.NoTlsRpt], Ids(AuditEnvironment.BareDomain));
        Assert.Equal(Severity.Low, Result.Findings.Single(f => f.Target == AuditEnvironment.BareDomain && f.Id == FindingIds.NoSpf).Severity);
        Assert.Equal(["_dmarc.audit-e2e.test TXT \"v=DMARC1; p=none; rua=mailto:dmarc@audit-e2e.test\""], Result.Findings.Single(f => f.Id == FindingIds.DmarcNone).Evidence);
    }

    [Fact]
    public void The_result_says_what_was_scanned_and_the_findings_are_sorted()
    {
        Assert.Equal(2, Result.Addresses.Count);
        Assert.Equal(10, Result.Scan.Attempted);
        Assert.Equal(5, Result.Listeners.Count(l => l.Observation.SpeaksSmtp));
        Assert.Equal(AuditOptions.DefaultRate, Result.Rate);
        Assert.Equal(AuditOptions.DefaultConcurrency, Result.Concurrency);
        Assert.True(Result.Started <= Result.Finished);
        Assert.Equal(Severity.Critical, Result.HighestSeverity);
        var severities = Result.Findings.Select(f => f.Severity).ToArray();
        Assert.Equal(severities.OrderDescending(), severities);
        output.WriteLine($"audit of {Result.Listeners.Count} listeners took {environment.Elapsed.TotalSeconds:0.0} s");
        foreach (var finding in Result.Findings)
        {
            output.WriteLine($"{finding.Severity,-8} {finding.Id,-22} {finding.Target,-20} {finding.Title}");
        }
    }

    [Fact]
    public void Progress_goes_through_the_phases_in_order_and_counts_every_probe()
    {
        var phases = environment.Progress.Select(p => p.Phase).Distinct().ToArray();

        Assert.Equal([AuditPhase.Resolving, AuditPhase.Scanning, AuditPhase.Probing, AuditPhase.Assessing, AuditPhase.Finished], phases);
        var lastProbe = environment.Progress.Last(p => p.Phase == AuditPhase.Probing);
        Assert.Equal(5, lastProbe.Done);
        Assert.Equal(5, lastProbe.Total);
        Assert.Equal(10, environment.Progress.Last(p => p.Phase == AuditPhase.Scanning).Total);
    }

    [Fact]
    public void The_json_and_html_reports_of_a_real_audit_are_complete()
    {
        using var stream = new MemoryStream();
        AuditJsonReport.Write(stream, Result);
        using var json = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(Result.Findings.Count, json.RootElement.GetProperty("findings").GetArrayLength());
        Assert.Equal(Result.Listeners.Count, json.RootElement.GetProperty("listeners").GetArrayLength());
        Assert.Equal(2, json.RootElement.GetProperty("domains").GetArrayLength());

        var html = AuditHtmlReport.Render(Result);
        Assert.Contains($"ESMTP Postfix {environment.Leaky.Version} (Debian)", html, StringComparison.Ordinal);
        Assert.Contains("Scans only the targets given", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    private IReadOnlyList<Finding> At(int port) => Result.Findings.Where(f => f.Target == Target(port)).ToList();

    private static string Target(int port) => $"127.0.0.1:{port}";
}
