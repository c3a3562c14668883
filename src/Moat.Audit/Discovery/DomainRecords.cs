using DnsClient;
using DnsClient.Protocol;

namespace Moat.Audit.Discovery;

/// <summary>
/// Reads one mail domain's DNS: MX (with each host's A/AAAA), the domain's own A/AAAA, SPF,
/// DMARC, MTA-STS and TLS-RPT. Every question goes through the given <see cref="ILookupClient"/>;
/// DNS failures end up in <see cref="DomainReport.Failures"/>, never as exceptions.
/// </summary>
public sealed class DomainRecords(ILookupClient dns)
{
    public async Task<DomainReport> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        domain = domain.TrimEnd('.').ToLowerInvariant();

        // The questions are independent; asking them together keeps a slow server from
        // multiplying the wait by seven.
        var mxTask = DnsQuery.RunAsync(dns, domain, QueryType.MX, cancellationToken);
        var aTask = DnsQuery.RunAsync(dns, domain, QueryType.A, cancellationToken);
        var aaaaTask = DnsQuery.RunAsync(dns, domain, QueryType.AAAA, cancellationToken);
        var txtTask = DnsQuery.RunAsync(dns, domain, QueryType.TXT, cancellationToken);
        var dmarcTask = DnsQuery.RunAsync(dns, "_dmarc." + domain, QueryType.TXT, cancellationToken);
        var stsTask = DnsQuery.RunAsync(dns, "_mta-sts." + domain, QueryType.TXT, cancellationToken);
        var rptTask = DnsQuery.RunAsync(dns, "_smtp._tls." + domain, QueryType.TXT, cancellationToken);
        await Task.WhenAll(mxTask, aTask, aaaaTask, txtTask, dmarcTask, stsTask, rptTask).ConfigureAwait(false);

        var records = new List<string>();
        var notes = new List<string>();
        var failures = new List<DnsFailure>();
        void Fail(DomainRecordKind kind, DnsQuery query)
        {
            if (query.Status == DnsQueryStatus.Failed)
            {
                failures.Add(new DnsFailure(kind, query.Name, query.Type.ToString(), query.Error!));
            }
        }

        var mx = mxTask.Result;
        Fail(DomainRecordKind.Mx, mx);
        var mxRecords = mx.Answers.MxRecords()
            .OrderBy(r => r.Preference)
            .ThenBy(r => r.Exchange.Value, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var mxLines = mxRecords.Select(r => r.ToString()).ToList();
        records.AddRange(mxLines);
        var hasNullMx = mxRecords.Any(r => HostName(r.Exchange) == string.Empty);
        if (hasNullMx && mxRecords.Count > 1)
        {
            notes.Add($"{domain} publishes a null MX (\"MX 0 .\") next to other MX records; RFC 7505 §3 says a null MX must be the only one");
        }

        var exchangers = await ResolveExchangersAsync(mxRecords, records, failures, cancellationToken).ConfigureAwait(false);

        Fail(DomainRecordKind.Address, aTask.Result);
        Fail(DomainRecordKind.Address, aaaaTask.Result);
        // Answers may include the CNAME chain the server followed; it is evidence too.
        records.AddRange(aTask.Result.Answers.Concat(aaaaTask.Result.Answers)
            .Where(r => r is ARecord or AaaaRecord or CNameRecord)
            .Select(r => r.ToString())
            .Distinct());
        var addresses = aTask.Result.Addresses().Concat(aaaaTask.Result.Addresses()).Distinct().ToList();

        var doesNotExist = mx.Status == DnsQueryStatus.NameDoesNotExist && aTask.Result.Status == DnsQueryStatus.NameDoesNotExist;
        if (doesNotExist)
        {
            notes.Add($"{domain} does not exist in DNS (NXDOMAIN)");
        }

        Fail(DomainRecordKind.Spf, txtTask.Result);
        var spf = Select(txtTask.Result, IsSpf, records);
        if (spf.Count > 1)
        {
            notes.Add($"{domain} has {spf.Count} SPF records; receivers treat this as a permanent error and SPF fails for all its mail (RFC 7208 §4.5)");
        }

        Fail(DomainRecordKind.Dmarc, dmarcTask.Result);
        var dmarcName = "_dmarc." + domain;
        var dmarc = Select(dmarcTask.Result, text => HasVersion(text, "v=DMARC1"), records);
        string? policy = null;
        string? subdomainPolicy = null;
        if (dmarc.Count > 1)
        {
            notes.Add($"{dmarcName} has {dmarc.Count} DMARC records; receivers then apply no DMARC policy at all (RFC 7489 §6.6.3)");
        }
        else if (dmarc.Count == 1)
        {
            var tags = Tags(dmarc[0]);
            policy = tags.GetValueOrDefault("p")?.ToLowerInvariant();
            subdomainPolicy = tags.GetValueOrDefault("sp")?.ToLowerInvariant();
            if (policy is null)
            {
                notes.Add($"the DMARC record of {domain} has no p= tag, so receivers ignore it (RFC 7489 §6.3)");
            }
        }

        Fail(DomainRecordKind.MtaSts, stsTask.Result);
        var stsName = "_mta-sts." + domain;
        var sts = Select(stsTask.Result, text => HasVersion(text, "v=STSv1"), records);
        if (sts.Count > 1)
        {
            notes.Add($"{stsName} has {sts.Count} MTA-STS records; senders then assume the domain has no MTA-STS policy (RFC 8461 §3.1)");
        }

        Fail(DomainRecordKind.TlsRpt, rptTask.Result);
        var rptName = "_smtp._tls." + domain;
        var rpt = Select(rptTask.Result, text => HasVersion(text, "v=TLSRPTv1"), records);
        IReadOnlyList<string> destinations = [];
        if (rpt.Count > 1)
        {
            notes.Add($"{rptName} has {rpt.Count} TLS-RPT records; senders then send no reports (RFC 8460 §3)");
        }
        else if (rpt.Count == 1)
        {
            destinations = (Tags(rpt[0]).GetValueOrDefault("rua") ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return new DomainReport
        {
            Domain = domain,
            MailExchangers = exchangers,
            HasNullMx = hasNullMx,
            DoesNotExist = doesNotExist,
            Addresses = addresses,
            SpfRecords = spf,
            DmarcRecords = dmarc,
            DmarcPolicy = policy,
            DmarcSubdomainPolicy = subdomainPolicy,
            MtaStsRecords = sts,
            MtaStsId = sts.Count == 1 ? Tags(sts[0]).GetValueOrDefault("id") : null,
            TlsRptRecords = rpt,
            TlsRptDestinations = destinations,
            Records = records,
            MxRecords = mxLines,
            Notes = notes,
            Failures = failures,
        };
    }

    private async Task<IReadOnlyList<MailExchanger>> ResolveExchangersAsync(
        IReadOnlyList<MxRecord> mxRecords, List<string> records, List<DnsFailure> failures, CancellationToken cancellationToken)
    {
        var hosts = mxRecords
            .Select(r => (r.Preference, Host: HostName(r.Exchange)))
            .Where(r => r.Host.Length > 0)
            .ToList();
        var lookups = hosts.Select(async h =>
        {
            var v4 = DnsQuery.RunAsync(dns, h.Host, QueryType.A, cancellationToken);
            var v6 = DnsQuery.RunAsync(dns, h.Host, QueryType.AAAA, cancellationToken);
            return (h.Preference, h.Host, V4: await v4.ConfigureAwait(false), V6: await v6.ConfigureAwait(false));
        }).ToList();
        await Task.WhenAll(lookups).ConfigureAwait(false);

        var exchangers = new List<MailExchanger>();
        foreach (var (preference, host, v4, v6) in lookups.Select(l => l.Result))
        {
            foreach (var query in new[] { v4, v6 })
            {
                if (query.Status == DnsQueryStatus.Failed)
                {
                    failures.Add(new DnsFailure(DomainRecordKind.MxHostAddress, query.Name, query.Type.ToString(), query.Error!));
                }

                records.AddRange(query.Answers.Where(r => r is ARecord or AaaaRecord or CNameRecord).Select(r => r.ToString()));
            }

            exchangers.Add(new MailExchanger(preference, host, v4.Addresses().Concat(v6.Addresses()).Distinct().ToList()));
        }

        return exchangers;
    }

    /// <summary>
    /// The TXT answers of one kind. Owners are not checked: a CNAME (common for delegated DMARC
    /// and MTA-STS) makes the answer's owner differ from the name asked, and it still applies.
    /// </summary>
    private static List<string> Select(DnsQuery query, Func<string, bool> wanted, List<string> records)
    {
        var selected = new List<string>();
        records.AddRange(query.Answers.CnameRecords().Select(r => r.ToString()));
        foreach (var (text, record) in query.Texts())
        {
            if (wanted(text))
            {
                selected.Add(text);
                records.Add(record.ToString());
            }
        }

        return selected;
    }

    /// <summary>"v=spf1" alone or followed by a space, in any case (RFC 7208 §4.5).</summary>
    private static bool IsSpf(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>The version tag first, then the end, a space or the tag separator.</summary>
    private static bool HasVersion(string text, string version)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith(version, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = trimmed.AsSpan(version.Length).TrimStart();
        return rest.IsEmpty || rest[0] == ';';
    }

    /// <summary>The "k=v; k=v" tag list shared by DMARC, MTA-STS and TLS-RPT; keys are case-insensitive.</summary>
    private static Dictionary<string, string> Tags(string record)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in record.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals > 0)
            {
                tags.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim());
            }
        }

        return tags;
    }

    private static string HostName(DnsString name) => name.Value.TrimEnd('.').ToLowerInvariant();
}
