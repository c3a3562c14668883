using Moat.Storage.Trust;

namespace Moat.Trust.Lists;

/// <summary>
/// All allow-lists at one moment, indexed for lookups that cost a few hash probes however long
/// the lists are: the whole address first, then the domain and each parent domain.
/// </summary>
public sealed class TrustListSnapshot
{
    private readonly Dictionary<(string Owner, string Pattern), TrustEntry> entries;

    public TrustListSnapshot(IEnumerable<TrustEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        this.entries = new Dictionary<(string, string), TrustEntry>();
        foreach (var entry in entries)
        {
            this.entries[(entry.Owner.ToLowerInvariant(), entry.Pattern.ToLowerInvariant())] = entry;
        }
    }

    public static TrustListSnapshot Empty { get; } = new([]);

    public int Count => entries.Count;

    /// <summary>
    /// The first entry that covers <paramref name="sender"/> on the organisation's list or the list
    /// of one of <paramref name="owners"/>; an address entry wins over a domain entry of the same owner.
    /// </summary>
    public TrustMatch? Find(string sender, IEnumerable<string> owners, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(owners);
        var address = Normalise(sender);
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return null;
        }

        var match = FindFor(TrustEntry.Organisation, address, at, now);
        if (match is not null)
        {
            return match;
        }

        foreach (var owner in owners)
        {
            match = FindFor(Normalise(owner), address, at, now);
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    private TrustMatch? FindFor(string owner, string address, int at, DateTimeOffset now)
    {
        if (entries.TryGetValue((owner, address), out var entry) && !entry.IsExpiredAt(now))
        {
            return new TrustMatch(entry);
        }

        // example.org covers mail.example.org: walk up the labels, never to the bare TLD.
        var domain = address[(at + 1)..];
        while (domain.Contains('.'))
        {
            if (entries.TryGetValue((owner, domain), out entry) && !entry.IsExpiredAt(now))
            {
                return new TrustMatch(entry);
            }

            domain = domain[(domain.IndexOf('.') + 1)..];
        }

        return null;
    }

    // Stored patterns have punycode domains (the store normalises them), so a sender written with
    // a Unicode domain must be compared in the same form.
    private static string Normalise(string value)
    {
        var address = value.Trim().TrimEnd('.').ToLowerInvariant();
        var at = address.LastIndexOf('@');
        if (at < 0 || address.Skip(at + 1).All(char.IsAscii))
        {
            return address;
        }

        return Moat.Pipeline.DomainName.TryNormalize(address[(at + 1)..], out var domain) ? address[..(at + 1)] + domain : address;
    }
}
