using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Moat.Trust.Sources;

/// <summary>
/// One DNS query whose outcome is sorted into answered / NXDOMAIN / failed, whatever the
/// <see cref="ILookupClient"/>'s error settings: the checks must never mistake a failed lookup
/// for "no such record", or a temporary DNS outage would turn into a verdict against the sender.
/// </summary>
internal sealed record SourceLookup(SourceLookupStatus Status, IReadOnlyList<DnsResourceRecord> Answers, string? Error)
{
    public static async Task<SourceLookup> QueryAsync(ILookupClient client, string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.NotExistentDomain)
        {
            return new SourceLookup(SourceLookupStatus.NameDoesNotExist, [], null);
        }
        catch (DnsResponseException ex)
        {
            return Failed(name, type, ex.Message);
        }
        catch (ArgumentException ex)
        {
            // DnsClient refuses names it cannot encode; callers validate first, so this is a bug
            // or an edge of the validator, and must not read as "does not exist".
            return Failed(name, type, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // DnsClient's own per-query timeout surfaces as a cancellation on some paths.
            return Failed(name, type, "timed out");
        }

        var code = response.Header.ResponseCode;
        return code switch
        {
            DnsHeaderResponseCode.NoError => new SourceLookup(SourceLookupStatus.Answered, response.Answers, null),
            DnsHeaderResponseCode.NotExistentDomain => new SourceLookup(SourceLookupStatus.NameDoesNotExist, [], null),
            _ => Failed(name, type, code.ToString()),
        };
    }

    /// <summary>A and AAAA addresses of a host name (CNAMEs followed by the server are included in the answers).</summary>
    public static async Task<(SourceLookupStatus Status, IReadOnlyList<IPAddress> Addresses, string? Error)> AddressesAsync(
        ILookupClient client, string host, CancellationToken cancellationToken)
    {
        var v4Task = QueryAsync(client, host, QueryType.A, cancellationToken);
        var v6Task = QueryAsync(client, host, QueryType.AAAA, cancellationToken);
        var v4 = await v4Task.ConfigureAwait(false);
        var v6 = await v6Task.ConfigureAwait(false);
        var addresses = v4.Answers.ARecords().Select(a => a.Address)
            .Concat(v6.Answers.AaaaRecords().Select(a => a.Address))
            .ToList();

        // Any address is an answer even if the other family failed; only when nothing came back
        // does a failure outweigh NXDOMAIN/NODATA.
        if (addresses.Count > 0)
        {
            return (SourceLookupStatus.Answered, addresses, null);
        }

        if (v4.Status == SourceLookupStatus.Failed || v6.Status == SourceLookupStatus.Failed)
        {
            return (SourceLookupStatus.Failed, [], v4.Error ?? v6.Error);
        }

        var missing = v4.Status == SourceLookupStatus.NameDoesNotExist || v6.Status == SourceLookupStatus.NameDoesNotExist;
        return (missing ? SourceLookupStatus.NameDoesNotExist : SourceLookupStatus.Answered, [], null);
    }

    private static SourceLookup Failed(string name, QueryType type, string error) =>
        new(SourceLookupStatus.Failed, [], $"DNS {type} lookup of {name} failed: {error}");
}
