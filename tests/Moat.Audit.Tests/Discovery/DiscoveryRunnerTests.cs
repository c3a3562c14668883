using System.Net;
using System.Net.Sockets;
using Moat.Audit.Discovery;
using Moat.Audit.Targets;
using Moat.Testing;

namespace Moat.Audit.Tests.Discovery;

public sealed class DiscoveryRunnerTests(DiscoveryDns dns) : IClassFixture<DiscoveryDns>
{
    private static readonly IPAddress Mx = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Forgotten = IPAddress.Parse("127.0.0.5");

    private DiscoveryRunner Runner() => new(dns.Client(), new PortScanner(new PortScanOptions { AttemptsPerSecond = 500 }));

    /// <summary>The loopback ports only: the defaults (25, 465, …) may be taken on a test machine.</summary>
    private static AuditScope Scope(TargetParseResult parsed, params int[] ports)
    {
        Assert.True(parsed.Succeeded, string.Join(Environment.NewLine, parsed.Errors));
        return parsed.Scope with { BasePorts = [], ExtraPorts = ports };
    }

    [Fact]
    public async Task Listeners_are_found_on_hosts_mx_hosts_and_networks_and_those_outside_the_mx_are_told_apart()
    {
        var port = FreePort.Get();
        var closed = FreePort.Get();
        using var mxListener = Listen(Mx, port);
        using var otherListener = Listen(Other, port);
        using var forgottenListener = Listen(Forgotten, port);
        var scope = Scope(TargetParser.Parse(["disc.test"], ["other.disc.test", "127.0.0.4/31", "127.0.0.1"], null), port, closed);
        var progress = new Recorder<DiscoveryProgress>();

        var result = await Runner().RunAsync(scope, progress, CancellationToken.None);

        Assert.Equal(
            [
                new ListenerEndpoint(Mx, port, "mx.disc.test"),
                new ListenerEndpoint(Other, port, "other.disc.test"),
                new ListenerEndpoint(Forgotten, port),
            ],
            result.Endpoints);
        Assert.True(result.IsInMx(result.Endpoints[0]));
        Assert.False(result.IsInMx(result.Endpoints[1]));
        Assert.False(result.IsInMx(result.Endpoints[2]));
        Assert.Equal(["mx.disc.test"], result.MxHostsOf(result.Endpoints[0]));
        Assert.Equal([result.Endpoints[1], result.Endpoints[2]], result.NotInMx);
        Assert.Single(result.MxRecords);
        Assert.Equal("disc.test", Assert.Single(result.Domains).Domain);
        Assert.Equal((8, 5), (result.Scan.Attempted, result.Scan.Refused));
    }

    [Fact]
    public async Task The_plan_lists_each_address_once_with_its_name_and_why_it_is_in_scope()
    {
        var scope = Scope(TargetParser.Parse(["disc.test"], ["127.0.0.1", "other.disc.test", "127.0.0.4/31"], null), 2525);

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.Equal(
            [
                new PlannedAddress(Mx, "mx.disc.test", "address; MX of disc.test"),
                new PlannedAddress(Other, "other.disc.test", "host other.disc.test"),
                new PlannedAddress(IPAddress.Parse("127.0.0.4"), null, "network 127.0.0.4/31"),
                new PlannedAddress(Forgotten, null, "network 127.0.0.4/31"),
            ],
            plan.Addresses);
        Assert.Equal([2525], plan.Ports);
        Assert.Equal(4, plan.Targets.Count);
        Assert.Equal(new ScanTarget(Mx, 2525, "mx.disc.test"), plan.Targets.First());
        Assert.True(plan.MxInformationComplete);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public async Task Targets_go_port_by_port_so_consecutive_attempts_hit_different_hosts()
    {
        var scope = Scope(TargetParser.Parse([], ["127.0.0.1", "127.0.0.2"], null), 2525, 25);

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.Equal(
            [new ScanTarget(Mx, 25), new ScanTarget(Other, 25), new ScanTarget(Mx, 2525), new ScanTarget(Other, 2525)],
            plan.Targets);
    }

    [Fact]
    public async Task Progress_goes_through_the_phases_and_counts_only_grow()
    {
        var port = FreePort.Get();
        using var listener = Listen(Mx, port);
        var scope = Scope(TargetParser.Parse(["disc.test", "audit.test"], ["other.disc.test", "127.0.0.8/30"], null), port);
        var progress = new Recorder<DiscoveryProgress>();

        var result = await Runner().RunAsync(scope, progress, CancellationToken.None);

        // other.disc.test and the MX hosts share 127.0.0.1 and .2; mx2.audit.test adds ::1; the network .9 and .10.
        Assert.Equal(5, result.Plan.Addresses.Count);
        var reports = progress.Values;
        Assert.Equal(
            [DiscoveryPhase.LookingUpDomains, DiscoveryPhase.ResolvingHosts, DiscoveryPhase.Scanning, DiscoveryPhase.Finished],
            reports.Select(r => r.Phase).Distinct());
        Assert.Equal(
            new DiscoveryProgress
            {
                Phase = DiscoveryPhase.Finished,
                DomainsDone = 2,
                DomainsTotal = 2,
                HostsDone = 1,
                HostsTotal = 1,
                ConnectionsAttempted = 5,
                ConnectionsTotal = 5,
                OpenFound = 1,
            },
            reports[^1]);
        for (var i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].ConnectionsAttempted >= reports[i - 1].ConnectionsAttempted);
            Assert.True(reports[i].DomainsDone >= reports[i - 1].DomainsDone);
        }
    }

    [Fact]
    public async Task The_address_limit_holds_for_resolved_names_too_and_is_reported()
    {
        var scope = Scope(TargetParser.Parse(["disc.test"], ["other.disc.test", "127.0.0.8/29"], null), 2525) with { MaxAddresses = 3 };

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.Equal([Other, Mx, IPAddress.Parse("127.0.0.9")], plan.Addresses.Select(a => a.Address));
        Assert.Contains(
            "the limit of 3 addresses was reached; the addresses after it (first skipped: 127.0.0.10) were not scanned — pass --max-addresses to raise it",
            plan.Notes);
    }

    [Fact]
    public async Task Names_that_do_not_resolve_are_noted_and_scanning_goes_on()
    {
        var scope = Scope(TargetParser.Parse([], ["missing.disc.test", "other.disc.test", "host.unserved.example"], null), 2525);

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.Equal([Other], plan.Addresses.Select(a => a.Address));
        Assert.Contains("missing.disc.test does not exist in DNS (NXDOMAIN)", plan.Notes);
        Assert.Contains("DNS A lookup of host.unserved.example failed: Refused", plan.Notes);
    }

    [Fact]
    public async Task Without_audited_domains_nobody_can_say_whether_a_listener_is_in_the_mx()
    {
        var scope = Scope(TargetParser.Parse([], ["127.0.0.2"], null), 2525);

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.False(plan.MxInformationComplete);
        Assert.Null(plan.IsInMx(Other));
    }

    [Fact]
    public async Task A_failed_mx_lookup_leaves_listeners_outside_the_known_mx_undecided()
    {
        var scope = Scope(TargetParser.Parse(["disc.test", "unserved.example"], ["127.0.0.2"], null), 2525);

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.False(plan.MxInformationComplete);
        Assert.True(plan.IsInMx(Mx));
        Assert.Null(plan.IsInMx(Other));
    }

    [Fact]
    public async Task An_implicit_mx_counts_as_the_domains_mail_server_and_a_null_mx_is_noted()
    {
        var scope = Scope(TargetParser.Parse(["bare.test", "nullmx.test"], [], null), 2525);

        var plan = await Runner().PlanAsync(scope, null, CancellationToken.None);

        Assert.Equal([new PlannedAddress(IPAddress.Parse("127.0.0.20"), "bare.test", "implicit MX of bare.test")], plan.Addresses);
        Assert.True(plan.IsInMx(IPAddress.Parse("127.0.0.20")));
        Assert.Contains("nullmx.test has a null MX: it says it receives no mail", plan.Notes);
    }

    private static TcpListener Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return listener;
    }
}
