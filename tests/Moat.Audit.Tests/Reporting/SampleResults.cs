using System.Net;
using Moat.Audit.Discovery;
using Moat.Audit.Findings;
using Moat.Audit.Fingerprints;
using Moat.Audit.Probing;
using Moat.Audit.Targets;

namespace Moat.Audit.Tests.Reporting;

/// <summary>A small audit result with a hostile banner, for the report writers.</summary>
internal static class SampleResults
{
    public const string HostileBanner = "220 mx.example.org ESMTP <script>alert('x')</script> & \"friends\"";

    public static AuditResult WithHostileBanner()
    {
        var scope = TargetParser.Parse(["example.org"], ["192.0.2.0/30"], null).Scope!;
        var endpoint = new ListenerEndpoint(IPAddress.Parse("192.0.2.1"), 25, "mx.example.org");
        var observation = new ListenerObservation
        {
            Endpoint = endpoint,
            Greeting = [HostileBanner],
            Ehlo = ["250-mx.example.org", "250 8BITMIME"],
            Fingerprint = new Fingerprint("Postfix", "3.7.11", 0.9, ["banner"]),
            RelayProbes = [new RelayProbeResult("external-to-external", "a@relay-test.invalid", "b@relay-test.invalid", ["250 2.1.0 Ok", "250 2.1.5 Ok"], true)],
        };
        var started = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        return new AuditResult
        {
            Scope = scope,
            Rate = 50,
            Concurrency = 32,
            RelayProbes = true,
            DnsServers = "127.0.0.1:5353",
            Started = started,
            Finished = started.AddSeconds(2.5),
            Addresses = [new PlannedAddress(endpoint.Address, "mx.example.org", "network 192.0.2.0/30; MX of example.org")],
            Ports = scope.Ports,
            Scan = new PortScanResult { Open = [endpoint], Attempted = 8, Refused = 7 },
            Listeners = [new AuditedListener(observation, true, ["mx.example.org"], [])],
            Domains = [new DomainReport { Domain = "example.org", MxRecords = ["example.org. 60 IN MX 10 mx.example.org."], Records = ["example.org. 60 IN MX 10 mx.example.org."] }],
            Findings =
            [
                new Finding(Severity.Critical, FindingIds.OpenRelay, "Open relay", endpoint.ToString(), ["[external-to-external]", "S: 250 2.1.5 Ok"], "Stop relaying."),
                new Finding(Severity.Medium, FindingIds.VersionLeak, "Version leak", endpoint.ToString(), ["S: " + HostileBanner], "Hide it."),
                new Finding(Severity.Low, FindingIds.NoSpf, "No SPF", "example.org", ["example.org TXT: no v=spf1 record"], "Publish one."),
            ],
            Notes = ["a note"],
            VulnerabilityDataDate = new DateOnly(2026, 11, 28),
        };
    }
}
