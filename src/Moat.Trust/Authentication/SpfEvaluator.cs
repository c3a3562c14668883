using System.Net;
using DnsClient;

namespace Moat.Trust.Authentication;

/// <summary>
/// RFC 7208 check_host(), written here rather than taken from a library so that every DNS
/// question goes through the configured <see cref="ILookupClient"/> (ARSoft.Tools.Net's validator
/// brings its own resolver). Implements all mechanisms, qualifiers, CIDR lengths, redirect=, exp=,
/// macros, and the lookup limits of §4.6.4.
/// </summary>
public sealed class SpfEvaluator
{
    private readonly ILookupClient dns;

    public SpfEvaluator(ILookupClient dns)
    {
        ArgumentNullException.ThrowIfNull(dns);
        this.dns = dns;
    }

    /// <summary>
    /// §4.6.4 allows a time limit of at least 20 seconds for the whole evaluation; past it the
    /// result is temperror.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Our host name, for the %{r} macro in explanations.</summary>
    public string ReceivingHost { get; init; } = SpfMacroContext.Unknown;

    /// <summary>
    /// check_host(<paramref name="client"/>, <paramref name="domain"/>, <paramref name="sender"/>).
    /// <paramref name="sender"/> is local-part@domain; without a local-part "postmaster" is used
    /// (§4.3). For the null sender pass the HELO name as the domain and "postmaster@" + HELO name.
    /// </summary>
    public async Task<SpfOutcome> CheckHostAsync(IPAddress client, string domain, string sender, string? heloName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(sender);

        // §5: IPv4 clients seen through an IPv6 socket are IPv4 clients (they are matched by ip4 and A records).
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var name = domain.TrimEnd('.');
        var at = sender.LastIndexOf('@');
        var localPart = at > 0 ? sender[..at] : "postmaster";
        var senderDomain = at >= 0 ? sender[(at + 1)..].TrimEnd('.') : name;
        var macros = new SpfMacroContext
        {
            Sender = localPart + "@" + senderDomain,
            LocalPart = localPart,
            SenderDomain = senderDomain,
            Domain = name,
            Client = address,
            Helo = string.IsNullOrEmpty(heloName) ? SpfMacroContext.Unknown : heloName,
            ReceivingHost = ReceivingHost,
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var check = new SpfCheck(new DnsLookup(dns), macros);
            var (result, explanation) = await check.CheckHostAsync(name, explain: true, timeout.Token).ConfigureAwait(false);
            return new SpfOutcome(result, name, explanation);
        }
        catch (SpfException ex)
        {
            return new SpfOutcome(ex.Result, name, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SpfOutcome(SpfResult.TempError, name, $"SPF evaluation took longer than {Timeout.TotalSeconds:0} s");
        }
    }
}
