namespace Moat.Trust.Authentication;

/// <summary>
/// The DMARCbis DNS tree walk (draft-ietf-dmarc-dmarcbis-41 §4.10), used instead of a public
/// suffix list, which we do not have. A walk asks for _dmarc records at the start name, then (for
/// names of 8 or more labels) at its last 7 labels, then one label shorter each time up to the
/// top-level label: at most 8 queries. It stops early at a record with psd=y or psd=n. One
/// instance serves one evaluation and remembers every answer, so the walks for the From domain
/// and for the authenticated identifiers share their queries.
/// </summary>
internal sealed class DmarcTreeWalk(DnsLookup dns)
{
    /// <summary>The draft's bound on queries per walk.</summary>
    public const int MaxQueries = 8;

    private const int ShortenTo = MaxQueries - 1;

    private readonly Dictionary<string, DmarcRecord?> records = new(StringComparer.Ordinal);

    /// <summary>The names a walk from <paramref name="start"/> asks about, in order.</summary>
    public static IReadOnlyList<string> Targets(string start)
    {
        var labels = start.Split('.');
        var targets = new List<string> { start };
        var count = labels.Length >= MaxQueries ? ShortenTo : labels.Length - 1;
        for (; count >= 1; count--)
        {
            targets.Add(LastLabels(labels, count));
        }

        return targets;
    }

    /// <summary>
    /// The valid DMARC records found walking up from <paramref name="start"/>, longest name first,
    /// ending at the first with psd=y or psd=n. Throws <see cref="DmarcLookupException"/> on a DNS failure.
    /// </summary>
    public async Task<IReadOnlyList<(string Domain, DmarcRecord Record)>> WalkAsync(string start, CancellationToken cancellationToken)
    {
        var found = new List<(string, DmarcRecord)>();
        foreach (var target in Targets(start))
        {
            var record = await RecordAtAsync(target, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                continue;
            }

            found.Add((target, record));
            if (record.Psd is 'y' or 'n')
            {
                break;
            }
        }

        return found;
    }

    /// <summary>The organisational domain of <paramref name="domain"/> (§4.10.2).</summary>
    public async Task<string> OrganizationalDomainAsync(string domain, CancellationToken cancellationToken) =>
        OrganizationalDomain(domain, await WalkAsync(domain, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// §4.10.2, from the longest name to the shortest: a record with psd=n is the organisational
    /// domain; a record with psd=y (other than at the start) makes the name one label below it the
    /// organisational domain; otherwise the record with the fewest labels; with no records at all,
    /// the start itself.
    /// </summary>
    public static string OrganizationalDomain(string start, IReadOnlyList<(string Domain, DmarcRecord Record)> found)
    {
        foreach (var (domain, record) in found)
        {
            if (record.Psd == 'n')
            {
                return domain;
            }

            if (record.Psd == 'y' && domain != start)
            {
                return LastLabels(start.Split('.'), domain.Split('.').Length + 1);
            }
        }

        return found.Count > 0 ? found[^1].Domain : start;
    }

    /// <summary>
    /// The one DMARC record at _dmarc.<paramref name="domain"/>: TXT records not starting with
    /// v=DMARC1 are discarded, and several DMARC records count as none.
    /// </summary>
    private async Task<DmarcRecord?> RecordAtAsync(string domain, CancellationToken cancellationToken)
    {
        if (records.TryGetValue(domain, out var cached))
        {
            return cached;
        }

        var answer = await dns.TxtAsync("_dmarc." + domain, cancellationToken).ConfigureAwait(false);
        if (answer.Failed)
        {
            throw new DmarcLookupException($"DNS lookup of _dmarc.{domain} failed");
        }

        var parsed = answer.Records.Select(DmarcRecord.Parse).OfType<DmarcRecord>().ToList();
        var record = parsed.Count == 1 ? parsed[0] : null;
        records[domain] = record;
        return record;
    }

    private static string LastLabels(string[] labels, int count) => string.Join('.', labels[^count..]);
}
