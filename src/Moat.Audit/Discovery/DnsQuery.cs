using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Moat.Audit.Discovery;

/// <summary>
/// One DNS question with its outcome sorted into answered / NXDOMAIN / failed, whatever the
/// <see cref="ILookupClient"/>'s error settings. A failure is reported as a failure, never as an
/// empty answer: "no DMARC record" and "could not look" lead to different findings.
/// </summary>
internal sealed record DnsQuery(string Name, QueryType Type, DnsQueryStatus Status, IReadOnlyList<DnsResourceRecord> Answers, string? Error)
{
    public static async Task<DnsQuery> RunAsync(ILookupClient client, string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.NotExistentDomain)
        {
            return new DnsQuery(name, type, DnsQueryStatus.NameDoesNotExist, [], null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // DnsClient's own per-query timeout surfaces as a cancellation on some paths.
            return Failed(name, type, "timed out");
        }
        catch (Exception ex)
        {
            // Unreachable servers, malformed replies, names DnsClient cannot encode: the answer is
            // unknown, and an audit reports that rather than stopping halfway through a domain.
            return Failed(name, type, ex.Message);
        }

        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => new DnsQuery(name, type, DnsQueryStatus.Answered, response.Answers, null),
            DnsHeaderResponseCode.NotExistentDomain => new DnsQuery(name, type, DnsQueryStatus.NameDoesNotExist, [], null),
            var code => Failed(name, type, code.ToString()),
        };
    }

    /// <summary>TXT answers owned by the queried name, each record's strings joined (RFC 7208 §3.3).</summary>
    public IReadOnlyList<(string Text, DnsResourceRecord Record)> Texts() =>
        Answers.TxtRecords().Select(r => (string.Concat(r.Text), (DnsResourceRecord)r)).ToList();

    public IReadOnlyList<IPAddress> Addresses() =>
        Answers.ARecords().Select(a => a.Address).Concat(Answers.AaaaRecords().Select(a => a.Address)).ToList();

    private static DnsQuery Failed(string name, QueryType type, string error) =>
        new(name, type, DnsQueryStatus.Failed, [], $"DNS {type} lookup of {name} failed: {error}");
}
