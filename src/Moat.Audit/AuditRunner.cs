using DnsClient;
using Moat.Audit.Discovery;
using Moat.Audit.Findings;
using Moat.Audit.Probing;
using Moat.Audit.Vulnerabilities;

namespace Moat.Audit;

/// <summary>
/// One audit from scope to findings: DNS and port scan (discovery), a probe of every open
/// endpoint, fingerprints, known vulnerabilities, then the findings, most severe first.
/// </summary>
public sealed class AuditRunner
{
    private readonly ILookupClient dns;
    private readonly VulnerabilityDatabase vulnerabilities;
    private readonly SmtpProber prober;
    private readonly TimeProvider time;

    public AuditRunner(ILookupClient dns, VulnerabilityDatabase vulnerabilities, SmtpProber? prober = null, TimeProvider? timeProvider = null)
    {
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
        this.vulnerabilities = vulnerabilities ?? throw new ArgumentNullException(nameof(vulnerabilities));
        this.prober = prober ?? new SmtpProber();
        time = timeProvider ?? TimeProvider.System;
    }

    public async Task<AuditResult> RunAsync(AuditOptions options, IProgress<AuditProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var started = time.GetUtcNow();
        var scanner = new PortScanner(
            new PortScanOptions { AttemptsPerSecond = options.Rate, MaxConcurrency = options.Concurrency, ConnectTimeout = options.ConnectTimeout },
            time);
        var discovery = await new DiscoveryRunner(dns, scanner)
            .RunAsync(options.Scope, progress is null ? null : new DiscoveryProgressAdapter(progress), cancellationToken)
            .ConfigureAwait(false);

        var probeOptions = (options.Probe ?? new ProbeOptions()) with
        {
            Domains = options.Scope.Domains,
            MxHostNames = discovery.Domains.SelectMany(d => d.MailExchangers.Select(mx => mx.HostName)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
        probeOptions = probeOptions with { RunRelayProbes = probeOptions.RunRelayProbes && options.RelayProbes };
        probeOptions.Validate();

        var observations = await ProbeAllAsync(discovery, probeOptions, options.Concurrency, progress, cancellationToken).ConfigureAwait(false);

        progress?.Report(new AuditProgress(AuditPhase.Assessing, "assessing", 0, observations.Length, discovery.Endpoints.Count, observations.Count(o => o.SpeaksSmtp)));
        var now = time.GetUtcNow();
        var listeners = new List<AuditedListener>();
        var findings = new List<Finding>();
        foreach (var observation in observations)
        {
            var endpoint = observation.Endpoint;
            var advisories = observation.SpeaksSmtp
                ? vulnerabilities.Match(observation.Fingerprint.Product, observation.Fingerprint.Version)
                : [];
            var inMx = discovery.IsInMx(endpoint);
            listeners.Add(new AuditedListener(observation, inMx, discovery.MxHostsOf(endpoint), advisories));
            var context = new ListenerContext
            {
                InMx = inMx,
                MxRecords = discovery.MxRecords,
                MtaStsMode = MtaStsMode(discovery, endpoint),
                ProbeUsers = probeOptions.ProbeUsers,
                Now = now,
            };
            findings.AddRange(ListenerFindingRules.Evaluate(observation, context));
            if (observation.SpeaksSmtp)
            {
                findings.AddRange(VulnerabilityFindingRules.Evaluate(observation, advisories));
            }
        }

        foreach (var domain in discovery.Domains)
        {
            findings.AddRange(DomainFindingRules.Evaluate(domain));
        }

        var result = new AuditResult
        {
            Scope = options.Scope,
            Rate = options.Rate,
            Concurrency = options.Concurrency,
            RelayProbes = probeOptions.RunRelayProbes,
            DnsServers = options.DnsServers,
            Started = started,
            Finished = time.GetUtcNow(),
            Addresses = discovery.Plan.Addresses,
            Ports = discovery.Plan.Ports,
            Scan = discovery.Scan,
            Listeners = listeners,
            Domains = discovery.Domains,

            // OrderByDescending is stable: within a severity, listeners stay in address order and domains follow.
            Findings = findings.OrderByDescending(f => f.Severity).ToList(),
            Notes = discovery.Plan.Notes,
            VulnerabilityDataDate = vulnerabilities.Date,
            VulnerabilityDataOrigin = vulnerabilities.Origin,
        };
        progress?.Report(new AuditProgress(AuditPhase.Finished, "done", observations.Length, observations.Length, discovery.Endpoints.Count, listeners.Count(l => l.Observation.SpeaksSmtp)));
        return result;
    }

    /// <summary>
    /// Probes every open endpoint, at most <paramref name="concurrency"/> at once. A probe holds one
    /// connection at a time, so this bounds the audit's connections as the scan's bound does.
    /// </summary>
    private async Task<ListenerObservation[]> ProbeAllAsync(
        DiscoveryResult discovery, ProbeOptions probeOptions, int concurrency, IProgress<AuditProgress>? progress, CancellationToken cancellationToken)
    {
        var endpoints = discovery.Endpoints;
        var observations = new ListenerObservation[endpoints.Count];
        var done = 0;
        var smtp = 0;
        progress?.Report(new AuditProgress(AuditPhase.Probing, "probing", 0, endpoints.Count, endpoints.Count, 0));
        await Parallel.ForEachAsync(
            Enumerable.Range(0, endpoints.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var endpoint = endpoints[index];
                var observation = await prober.ProbeAsync(endpoint, probeOptions, token).ConfigureAwait(false);
                observations[index] = observation;
                var speaks = observation.SpeaksSmtp ? Interlocked.Increment(ref smtp) : Volatile.Read(ref smtp);
                var finished = Interlocked.Increment(ref done);
                progress?.Report(new AuditProgress(AuditPhase.Probing, "probed " + endpoint, finished, endpoints.Count, endpoints.Count, speaks));
            }).ConfigureAwait(false);
        return observations;
    }

    /// <summary>
    /// "published" when a domain whose MX names the endpoint has an MTA-STS record. The policy's
    /// mode lives in a file fetched over HTTPS, which the audit does not fetch; a published policy
    /// means senders that honour MTA-STS check the certificate.
    /// </summary>
    private static string? MtaStsMode(DiscoveryResult discovery, ListenerEndpoint endpoint) =>
        discovery.Domains.Any(d => d.MtaSts is not null && d.MailServerAddresses().Any(a => a.Address.Equals(endpoint.Address)))
            ? "published"
            : null;

    /// <summary>Translates discovery's progress into the audit's phases.</summary>
    private sealed class DiscoveryProgressAdapter(IProgress<AuditProgress> target) : IProgress<DiscoveryProgress>
    {
        public void Report(DiscoveryProgress value)
        {
            var progress = value.Phase switch
            {
                DiscoveryPhase.LookingUpDomains or DiscoveryPhase.ResolvingHosts => new AuditProgress(
                    AuditPhase.Resolving,
                    value.Phase == DiscoveryPhase.LookingUpDomains ? "reading DNS records" : "resolving host names",
                    value.DomainsDone + value.HostsDone,
                    value.DomainsTotal + value.HostsTotal,
                    0,
                    0),
                _ => new AuditProgress(
                    AuditPhase.Scanning,
                    "scanning ports",
                    value.ConnectionsAttempted,
                    value.ConnectionsTotal,
                    value.OpenFound,
                    0),
            };
            target.Report(progress);
        }
    }
}
