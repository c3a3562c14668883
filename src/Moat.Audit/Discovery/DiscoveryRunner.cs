using System.Net;
using DnsClient;
using Moat.Audit.Targets;

namespace Moat.Audit.Discovery;

/// <summary>
/// Discovery from scope to listeners: reads each domain's records, resolves host names and MX
/// hosts, expands networks, then port-scans every address. (Not named "Discovery": a type named
/// like its namespace makes every use of either ambiguous.)
/// </summary>
public sealed class DiscoveryRunner
{
    private readonly ILookupClient dns;
    private readonly DomainRecords domainRecords;
    private readonly PortScanner scanner;

    public DiscoveryRunner(ILookupClient dns, PortScanner scanner)
    {
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
        this.scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        domainRecords = new DomainRecords(dns);
    }

    /// <summary>Plans and scans.</summary>
    public async Task<DiscoveryResult> RunAsync(AuditScope scope, IProgress<DiscoveryProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(scope, progress, cancellationToken).ConfigureAwait(false);
        return await ScanAsync(plan, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Everything up to the scan: DNS of the domains and hosts, and the addresses and ports to try.</summary>
    public async Task<DiscoveryPlan> PlanAsync(AuditScope scope, IProgress<DiscoveryProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var state = new DiscoveryProgress
        {
            Phase = DiscoveryPhase.LookingUpDomains,
            DomainsTotal = scope.Domains.Count,
            HostsTotal = scope.HostNames.Count,
        };
        progress?.Report(state);

        var domains = new List<DomainReport>();
        foreach (var domain in scope.Domains)
        {
            domains.Add(await domainRecords.LookupAsync(domain, cancellationToken).ConfigureAwait(false));
            state = state with { DomainsDone = domains.Count };
            progress?.Report(state);
        }

        state = state with { Phase = DiscoveryPhase.ResolvingHosts };
        progress?.Report(state);
        var hosts = new List<ResolvedHost>();
        foreach (var host in scope.HostNames)
        {
            hosts.Add(await ResolveAsync(host, cancellationToken).ConfigureAwait(false));
            state = state with { HostsDone = hosts.Count };
            progress?.Report(state);
        }

        var notes = new List<string>();
        var addresses = new AddressList(scope.MaxAddresses);
        foreach (var address in scope.Addresses)
        {
            addresses.Add(address, null, "address");
        }

        foreach (var host in hosts)
        {
            if (host.Error is not null)
            {
                notes.Add(host.Error);
            }

            foreach (var address in host.Addresses)
            {
                addresses.Add(address, host.HostName, "host " + host.HostName);
            }
        }

        var mxHosts = new Dictionary<IPAddress, List<string>>();
        foreach (var report in domains)
        {
            if (report.MailExchangers.Count == 0 && !report.UsesImplicitMx && !report.Failed(DomainRecordKind.Mx))
            {
                notes.Add(report.HasNullMx
                    ? $"{report.Domain} has a null MX: it says it receives no mail"
                    : $"{report.Domain} has no MX and no address: no mail server to scan for it");
            }

            foreach (var mx in report.MailExchangers.Where(mx => mx.Addresses.Count == 0))
            {
                notes.Add($"the MX host {mx.HostName} of {report.Domain} has no address");
            }

            foreach (var (address, hostName) in report.MailServerAddresses())
            {
                if (!mxHosts.TryGetValue(address, out var names))
                {
                    mxHosts[address] = names = [];
                }

                if (!names.Contains(hostName))
                {
                    names.Add(hostName);
                }

                addresses.Add(address, hostName, (report.UsesImplicitMx ? "implicit MX of " : "MX of ") + report.Domain);
            }
        }

        foreach (var network in scope.Networks)
        {
            foreach (var address in network.Addresses())
            {
                if (!addresses.Add(address, null, "network " + network))
                {
                    break;
                }
            }
        }

        if (addresses.LimitReached)
        {
            notes.Add(
                $"the limit of {scope.MaxAddresses} addresses was reached; the addresses after it (first skipped: {addresses.FirstSkipped}) "
                + "were not scanned — pass --max-addresses to raise it");
        }

        state = state with { Phase = DiscoveryPhase.Scanning };
        progress?.Report(state);
        return new DiscoveryPlan
        {
            Scope = scope,
            Domains = domains,
            Hosts = hosts,
            Addresses = addresses.Items,
            Ports = scope.Ports,
            MxHostsByAddress = mxHosts.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
            Notes = notes,
        };
    }

    /// <summary>Scans a plan's targets with the scanner's limits.</summary>
    public async Task<DiscoveryResult> ScanAsync(DiscoveryPlan plan, IProgress<DiscoveryProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var targets = plan.Targets;
        var gate = new object();
        var state = new DiscoveryProgress
        {
            Phase = DiscoveryPhase.Scanning,
            DomainsDone = plan.Domains.Count,
            DomainsTotal = plan.Domains.Count,
            HostsDone = plan.Hosts.Count,
            HostsTotal = plan.Hosts.Count,
            ConnectionsTotal = targets.Count,
        };
        progress?.Report(state);

        // The scanner reports from many attempts at once, possibly out of order; the display
        // must never see a count go backwards.
        var scanProgress = progress is null ? null : new InlineProgress<PortScanProgress>(p =>
        {
            DiscoveryProgress snapshot;
            lock (gate)
            {
                state = state with
                {
                    ConnectionsAttempted = Math.Max(state.ConnectionsAttempted, p.Attempted),
                    OpenFound = Math.Max(state.OpenFound, p.Open),
                };
                snapshot = state;
            }

            progress.Report(snapshot);
        });

        var scan = await scanner.ScanAsync(targets, scanProgress, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            state = state with { Phase = DiscoveryPhase.Finished, ConnectionsAttempted = scan.Attempted, OpenFound = scan.Open.Count };
        }

        progress?.Report(state);
        return new DiscoveryResult { Plan = plan, Scan = scan };
    }

    private async Task<ResolvedHost> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var v4Task = DnsQuery.RunAsync(dns, host, QueryType.A, cancellationToken);
        var v6Task = DnsQuery.RunAsync(dns, host, QueryType.AAAA, cancellationToken);
        var v4 = await v4Task.ConfigureAwait(false);
        var v6 = await v6Task.ConfigureAwait(false);
        var addresses = v4.Addresses().Concat(v6.Addresses()).Distinct().ToList();
        if (addresses.Count > 0)
        {
            return new ResolvedHost(host, addresses, null);
        }

        var error = v4.Error ?? v6.Error
            ?? (v4.Status == DnsQueryStatus.NameDoesNotExist ? $"{host} does not exist in DNS (NXDOMAIN)" : $"{host} has no A or AAAA record");
        return new ResolvedHost(host, [], error);
    }

    /// <summary>The plan's addresses, each once, up to the scope's limit.</summary>
    private sealed class AddressList(int limit)
    {
        private readonly Dictionary<IPAddress, int> index = [];

        public List<PlannedAddress> Items { get; } = [];

        public bool LimitReached => FirstSkipped is not null;

        public IPAddress? FirstSkipped { get; private set; }

        /// <summary>Adds an address, or names an unnamed one; false once the limit is reached.</summary>
        public bool Add(IPAddress address, string? hostName, string source)
        {
            if (index.TryGetValue(address, out var at))
            {
                var existing = Items[at];

                // A name is worth more than none: probes check certificates against it.
                if (existing.HostName is null && hostName is not null)
                {
                    Items[at] = existing with { HostName = hostName, Source = existing.Source + "; " + source };
                }

                return true;
            }

            if (Items.Count >= limit)
            {
                FirstSkipped ??= address;
                return false;
            }

            index[address] = Items.Count;
            Items.Add(new PlannedAddress(address, hostName, source));
            return true;
        }
    }
}
