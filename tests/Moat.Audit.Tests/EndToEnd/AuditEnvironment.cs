using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using Moat.Audit.Targets;
using Moat.Audit.Tests.Support;
using Moat.Audit.Vulnerabilities;
using Moat.Testing;

namespace Moat.Audit.Tests.EndToEnd;

/// <summary>
/// Real servers on loopback and one audit of them all, shared by the end-to-end tests: a leaky
/// and a hardened Postfix, smtp-sink and aiosmtpd on 127.0.0.1 (named by the MX of both test
/// domains), a second smtp-sink on 127.0.0.2 (named by no MX), and NSD serving
/// audit-e2e.test (SPF, DMARC p=none) and bare-e2e.test (neither).
/// </summary>
public sealed class AuditEnvironment : IAsyncLifetime
{
    public const string Domain = "audit-e2e.test";
    public const string BareDomain = "bare-e2e.test";

    private readonly List<IDisposable> servers = [];

    public PostfixServer Leaky { get; private set; } = null!;

    public PostfixServer Hardened { get; private set; } = null!;

    public SmtpSinkServer Sink { get; private set; } = null!;

    public AioSmtpdServer Aiosmtpd { get; private set; } = null!;

    /// <summary>Postfix's smtp-sink on 127.0.0.2, a second "host" that no MX names, as a forgotten server would be.</summary>
    public SmtpSinkServer OffMx { get; private set; } = null!;

    public NsdServer Dns { get; private set; } = null!;

    public AuditResult Result { get; private set; } = null!;

    public IReadOnlyList<AuditProgress> Progress { get; private set; } = [];

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        Leaky = Keep(await PostfixServer.StartAsync(PostfixProfile.Leaky));

        // The hardened server's certificate names mx.audit-e2e.test, the MX host it is found under.
        Hardened = Keep(await PostfixServer.StartAsync(PostfixProfile.Hardened, new PostfixServerOptions { Domain = Domain }));
        Sink = Keep(await SmtpSinkServer.StartAsync(dump: true));
        Aiosmtpd = Keep(await AioSmtpdServer.StartAsync());
        OffMx = Keep(await SmtpSinkServer.StartAsync(dump: false, address: IPAddress.Parse("127.0.0.2")));
        Dns = Keep(await NsdServer.StartAsync(
            new DnsZone(Domain)
                .Mx("@", 10, "mx")
                .A("mx", "127.0.0.1")
                .Txt("@", "v=spf1 mx -all")
                .Txt("_dmarc", "v=DMARC1; p=none; rua=mailto:dmarc@" + Domain),
            new DnsZone(BareDomain)
                .Mx("@", 10, "mx")
                .A("mx", "127.0.0.1")));

        var parsed = TargetParser.Parse([Domain, BareDomain], ["127.0.0.1", "127.0.0.2"], null);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));

        // Only the test servers' ports: whatever else listens on this machine is not under test.
        var scope = parsed.Scope with { BasePorts = [Leaky.Port, Hardened.Port, Sink.Port, Aiosmtpd.Port, OffMx.Port] };
        var lookup = new LookupClient(new LookupClientOptions(new NameServer(Dns.EndPoint)) { UseCache = false, Timeout = TimeSpan.FromSeconds(3), Retries = 1 });
        var runner = new AuditRunner(lookup, VulnerabilityDatabase.Parse(AdvisoryFor(Leaky.Version), "test data"));
        var progress = new ConcurrentQueue<AuditProgress>();
        var started = DateTime.UtcNow;
        Result = await runner.RunAsync(new AuditOptions { Scope = scope, DnsServers = Dns.NameServer }, new Recorder(progress), CancellationToken.None);
        Elapsed = DateTime.UtcNow - started;
        Progress = progress.ToArray();
    }

    public Task DisposeAsync()
    {
        foreach (var server in Enumerable.Reverse(servers))
        {
            server.Dispose();
        }

        return Task.CompletedTask;
    }

    public AuditedListener Listener(int port, IPAddress? address = null) =>
        Result.Listeners.Single(l => l.Observation.Endpoint.Port == port && l.Observation.Endpoint.Address.Equals(address ?? IPAddress.Loopback));

    /// <summary>Advisory data naming the Postfix version installed here, so the leaky banner matches it.</summary>
    private static string AdvisoryFor(string postfixVersion) => $$"""
        {
          "date": "2099-01-01",
          "advisories": [
            {
              "id": "CVE-2099-1000",
              "product": "Postfix",
              "affected": [ { "range": "<={{postfixVersion}}", "fixed": "99.0.0" } ],
              "severity": "high",
              "summary": "A test advisory covering the installed Postfix."
            }
          ]
        }
        """;

    private T Keep<T>(T server)
        where T : IDisposable
    {
        servers.Add(server);
        return server;
    }

    private sealed class Recorder(ConcurrentQueue<AuditProgress> queue) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value) => queue.Enqueue(value);
    }
}
