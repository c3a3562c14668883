using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Moat.Trust.Authentication;

/// <summary>
/// The DNS questions sender authentication asks, all through the one configured
/// <see cref="ILookupClient"/>. Every answer says whether it was found, empty, NXDOMAIN or failed,
/// because the protocols give those different meanings; no exception escapes for a DNS failure.
/// </summary>
internal sealed class DnsLookup(ILookupClient client)
{
    /// <summary>RFC 1035's limit for a name in text form without the trailing dot.</summary>
    public const int MaxNameLength = 253;

    private const int MaxLabelLength = 63;

    /// <summary>TXT records, each record's character-strings joined without separators (RFC 7208 §3.3, RFC 6376 §3.6.2.2).</summary>
    public async Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken)
    {
        var (status, response) = await QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        var texts = response?.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList() ?? [];
        return Sorted(status, texts);
    }

    /// <summary>A records for IPv4, AAAA records for IPv6.</summary>
    public async Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        var type = family == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
        var (status, response) = await QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<IPAddress> addresses = response is null
            ? []
            : type == QueryType.A
                ? response.Answers.ARecords().Select(a => a.Address).ToList()
                : response.Answers.AaaaRecords().Select(a => a.Address).ToList();
        return Sorted(status, addresses);
    }

    /// <summary>MX exchanges in preference order, without the trailing dot; a null MX gives "".</summary>
    public async Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken)
    {
        var (status, response) = await QueryAsync(name, QueryType.MX, cancellationToken).ConfigureAwait(false);
        var hosts = response?.Answers.MxRecords()
            .OrderBy(mx => mx.Preference)
            .Select(mx => mx.Exchange.Value.TrimEnd('.'))
            .ToList() ?? [];
        return Sorted(status, hosts);
    }

    /// <summary>PTR names for an address, without the trailing dot.</summary>
    public async Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var (status, response) = await QueryAsync(address.GetArpaName(), QueryType.PTR, cancellationToken).ConfigureAwait(false);
        var names = response?.Answers.PtrRecords().Select(p => p.PtrDomainName.Value.TrimEnd('.')).ToList() ?? [];
        return Sorted(status, names);
    }

    /// <summary>
    /// Whether a name can be asked at all: 1–63 octet labels, at most 253 octets, printable ASCII.
    /// SPF macros can build anything from the sender's address; nonsense is never sent.
    /// </summary>
    public static bool IsQueryable(string name)
    {
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            return false;
        }

        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                return false;
            }

            foreach (var c in label)
            {
                if (c is < '!' or > '~')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static DnsAnswer<T> Sorted<T>(DnsStatus status, IReadOnlyList<T> records) =>
        status == DnsStatus.Found && records.Count == 0
            ? new DnsAnswer<T>(DnsStatus.NoData, records)
            : new DnsAnswer<T>(status, status == DnsStatus.Found ? records : []);

    private async Task<(DnsStatus Status, IDnsQueryResponse? Response)> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        if (!IsQueryable(name))
        {
            // A name that cannot exist has no records; callers count it as void, like NXDOMAIN.
            return (DnsStatus.NxDomain, null);
        }

        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.NotExistentDomain)
        {
            // A client configured with ThrowDnsErrors reports NXDOMAIN as an exception.
            return (DnsStatus.NxDomain, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            // Timeouts, unreachable servers, malformed replies (DnsResponseException, SocketException,
            // the client's own timeout, …): the answer is unknown, which the protocols call a
            // temporary error. Failing towards temperror is the safe side; it is never read as
            // "no record", which could turn a DMARC fail into none.
            return (DnsStatus.Failed, null);
        }

        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => (DnsStatus.Found, response),
            DnsHeaderResponseCode.NotExistentDomain => (DnsStatus.NxDomain, null),
            _ => (DnsStatus.Failed, null),
        };
    }
}
