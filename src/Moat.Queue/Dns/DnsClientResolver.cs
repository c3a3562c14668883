using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Moat.Queue.Dns;

/// <summary><see cref="IDnsResolver"/> over DnsClient's LookupClient, with its TTL cache.</summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient client;

    public DnsClientResolver(DnsOptions options) => client = CreateLookupClient(options);

    /// <summary>A DnsClient lookup client for the configured servers, shared by everything in Moat that asks DNS.</summary>
    public static LookupClient CreateLookupClient(DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = options.NameServers.Select(ParseServer).ToArray();
        var lookupOptions = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookupOptions.UseCache = options.UseCache;
        lookupOptions.Timeout = options.Timeout;
        lookupOptions.Retries = options.Retries;

        // We interpret error codes ourselves: NXDOMAIN is an answer, SERVFAIL is a temporary failure.
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.ContinueOnDnsError = false;
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseTcpFallback = true;
        return new LookupClient(lookupOptions);
    }

    public async Task<MxLookupResult> ResolveMxAsync(string domain, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return new MxLookupResult([], DomainExists: false, IsNullMx: false);
        }

        var hosts = response.Answers.MxRecords()
            .Select(mx => new MxHost(mx.Preference, mx.Exchange.Value.TrimEnd('.')))
            .ToList();

        // RFC 7505: a single MX with an empty exchange (the root) means "no mail here".
        var isNull = hosts.Count == 1 && hosts[0].Host.Length == 0;
        return new MxLookupResult(isNull ? [] : hosts.Where(h => h.Host.Length > 0).ToList(), DomainExists: true, IsNullMx: isNull);
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        var v4 = QueryAsync(host, QueryType.A, cancellationToken);
        var v6 = QueryAsync(host, QueryType.AAAA, cancellationToken);
        var responses = await Task.WhenAll(v4, v6).ConfigureAwait(false);
        return responses[0].Answers.ARecords().Select(a => a.Address)
            .Concat(responses[1].Answers.AaaaRecords().Select(a => a.Address))
            .ToList();
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new DnsTemporaryException($"DNS {type} lookup of {name} failed: {ex.Message}", ex);
        }

        var code = response.Header.ResponseCode;
        if (code is not (DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain))
        {
            throw new DnsTemporaryException($"DNS {type} lookup of {name} failed: {code}");
        }

        return response;
    }

    private static NameServer ParseServer(string text)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            return new NameServer(address, 53);
        }

        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return new NameServer(endpoint.Address, endpoint.Port == 0 ? 53 : endpoint.Port);
        }

        throw new FormatException($"name server '{text}' is not an IP address or ip:port");
    }
}
