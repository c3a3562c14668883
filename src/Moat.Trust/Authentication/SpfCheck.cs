using System.Net;
using System.Net.Sockets;

namespace Moat.Trust.Authentication;

/// <summary>
/// One run of RFC 7208 check_host(), with the state that spans includes and redirects: the
/// DNS-lookup and void-lookup counts and the client's validated names. Temperror and permerror
/// are thrown as <see cref="SpfException"/> because they end the whole evaluation at once.
/// </summary>
internal sealed class SpfCheck
{
    /// <summary>§4.6.4: at most 10 terms that cause DNS lookups (include, a, mx, ptr, exists, redirect).</summary>
    public const int MaxDnsLookups = 10;

    /// <summary>§4.6.4: at most 2 lookups that return no records or NXDOMAIN.</summary>
    public const int MaxVoidLookups = 2;

    /// <summary>§4.6.4: an mx may name at most 10 hosts (more is permerror); ptr uses the first 10 names.</summary>
    public const int MaxNamesPerMechanism = 10;

    private readonly DnsLookup dns;
    private readonly SpfMacroContext macros;
    private int lookups;
    private int voidLookups;
    private IReadOnlyList<string>? validatedNames;
    private bool ptrWasVoid;

    public SpfCheck(DnsLookup dns, SpfMacroContext macros)
    {
        this.dns = dns;
        this.macros = macros;
    }

    private IPAddress Client => macros.Client;

    /// <summary>
    /// check_host() for a domain; returns the result and, for fail, the exp= explanation (looked up
    /// only when <paramref name="explain"/>: an included record's explanation is never used, §6.2).
    /// </summary>
    public async Task<(SpfResult Result, string? Explanation)> CheckHostAsync(string domain, bool explain, CancellationToken cancellationToken)
    {
        // §4.3: a malformed or single-label domain gives none (include and redirect turn that into permerror).
        if (!IsValidDomain(domain))
        {
            return (SpfResult.None, null);
        }

        var record = await FetchRecordAsync(domain, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return (SpfResult.None, null);
        }

        foreach (var mechanism in record.Mechanisms)
        {
            if (await MatchesAsync(mechanism, domain, cancellationToken).ConfigureAwait(false))
            {
                var explanation = explain && mechanism.Qualifier == SpfResult.Fail && record.Explanation is not null
                    ? await ExplainAsync(record.Explanation, domain, cancellationToken).ConfigureAwait(false)
                    : null;
                return (mechanism.Qualifier, explanation);
            }
        }

        if (record.Redirect is null)
        {
            return (SpfResult.Neutral, null);
        }

        // §6.1: the redirected record's result (and explanation) replaces this one's.
        CountLookup();
        var target = await ExpandDomainAsync(record.Redirect, domain, cancellationToken).ConfigureAwait(false);
        var redirected = await CheckHostAsync(target, explain, cancellationToken).ConfigureAwait(false);
        return redirected.Result == SpfResult.None
            ? throw SpfException.Perm($"redirect target '{target}' has no SPF record")
            : redirected;
    }

    /// <summary>§4.4, §4.5: the single SPF record of a domain, or null for none.</summary>
    private async Task<SpfRecord?> FetchRecordAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await dns.TxtAsync(domain, cancellationToken).ConfigureAwait(false);
        if (answer.Failed)
        {
            throw SpfException.Temp($"DNS lookup of the SPF record of {domain} failed");
        }

        var records = answer.Records.Where(SpfRecordParser.IsSpfRecord).ToList();
        return records.Count switch
        {
            0 => null,
            1 => SpfRecordParser.Parse(records[0]),
            _ => throw SpfException.Perm($"{domain} publishes more than one SPF record"),
        };
    }

    private async Task<bool> MatchesAsync(SpfMechanism mechanism, string domain, CancellationToken cancellationToken)
    {
        switch (mechanism.Kind)
        {
            case SpfMechanismKind.All:
                return true;
            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
                var prefix = mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Ip4Prefix : mechanism.Ip6Prefix;
                return IPAddressPrefix.Matches(mechanism.Network!, Client, prefix);
        }

        CountLookup();
        var target = mechanism.DomainSpec is null
            ? domain
            : await ExpandDomainAsync(mechanism.DomainSpec, domain, cancellationToken).ConfigureAwait(false);
        return mechanism.Kind switch
        {
            SpfMechanismKind.Include => await IncludeMatchesAsync(target, cancellationToken).ConfigureAwait(false),
            SpfMechanismKind.A => await AddressMatchesAsync(target, mechanism, cancellationToken).ConfigureAwait(false),
            SpfMechanismKind.Mx => await MxMatchesAsync(target, mechanism, cancellationToken).ConfigureAwait(false),
            SpfMechanismKind.Ptr => await PtrMatchesAsync(target, cancellationToken).ConfigureAwait(false),
            SpfMechanismKind.Exists => await ExistsAsync(target, cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidOperationException("unhandled mechanism " + mechanism.Kind),
        };
    }

    /// <summary>§5.2: include matches only on pass; none in the included domain is permerror.</summary>
    private async Task<bool> IncludeMatchesAsync(string target, CancellationToken cancellationToken)
    {
        var (result, _) = await CheckHostAsync(target, explain: false, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            SpfResult.Pass => true,
            SpfResult.None => throw SpfException.Perm($"included domain '{target}' has no SPF record"),
            _ => false,
        };
    }

    /// <summary>§5.3: A records for an IPv4 client, AAAA for IPv6, compared with the CIDR length.</summary>
    private async Task<bool> AddressMatchesAsync(string target, SpfMechanism mechanism, CancellationToken cancellationToken)
    {
        var answer = await dns.AddressesAsync(target, Client.AddressFamily, cancellationToken).ConfigureAwait(false);
        CheckAnswer(answer, target);
        return answer.Records.Any(address => InCidr(address, mechanism));
    }

    /// <summary>§5.4: the addresses of the target's MX hosts.</summary>
    private async Task<bool> MxMatchesAsync(string target, SpfMechanism mechanism, CancellationToken cancellationToken)
    {
        var answer = await dns.MxAsync(target, cancellationToken).ConfigureAwait(false);
        CheckAnswer(answer, target);
        if (answer.Records.Count > MaxNamesPerMechanism)
        {
            throw SpfException.Perm($"{target} has more than {MaxNamesPerMechanism} MX records");
        }

        foreach (var host in answer.Records.Where(h => h.Length > 0))
        {
            var addresses = await dns.AddressesAsync(host, Client.AddressFamily, cancellationToken).ConfigureAwait(false);
            if (addresses.Failed)
            {
                throw SpfException.Temp($"DNS lookup of MX host {host} failed");
            }

            if (addresses.Records.Any(address => InCidr(address, mechanism)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>§5.5: a validated name of the client equal to or under the target.</summary>
    private async Task<bool> PtrMatchesAsync(string target, CancellationToken cancellationToken)
    {
        var names = await ValidatedNamesAsync(cancellationToken).ConfigureAwait(false);
        if (ptrWasVoid)
        {
            CountVoid(target);
        }

        return names.Any(name => IsSameOrSubdomain(name, target));
    }

    /// <summary>§5.7: any A record at the target (always A, whatever the client's family).</summary>
    private async Task<bool> ExistsAsync(string target, CancellationToken cancellationToken)
    {
        var answer = await dns.AddressesAsync(target, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
        CheckAnswer(answer, target);
        return answer.Records.Count > 0;
    }

    /// <summary>
    /// §5.5: PTR names of the client (the first 10) whose own addresses include the client. A DNS
    /// error on the PTR lookup means no names; an error on one name's lookup skips that name.
    /// Computed once per evaluation, for both ptr and %{p}.
    /// </summary>
    private async Task<IReadOnlyList<string>> ValidatedNamesAsync(CancellationToken cancellationToken)
    {
        if (validatedNames is not null)
        {
            return validatedNames;
        }

        var ptr = await dns.PtrAsync(Client, cancellationToken).ConfigureAwait(false);
        ptrWasVoid = ptr.IsVoid;
        var validated = new List<string>();
        foreach (var name in ptr.Records.Where(n => n.Length > 0).Take(MaxNamesPerMechanism))
        {
            var addresses = await dns.AddressesAsync(name, Client.AddressFamily, cancellationToken).ConfigureAwait(false);
            if (addresses.Records.Contains(Client))
            {
                validated.Add(name);
            }
        }

        validatedNames = validated;
        return validated;
    }

    /// <summary>%{p}: the validated name equal to, else under, the current domain, else any, else "unknown" (§7.3).</summary>
    private async Task<string> ValidatedDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var names = await ValidatedNamesAsync(cancellationToken).ConfigureAwait(false);
        return names.FirstOrDefault(n => n.Equals(domain, StringComparison.OrdinalIgnoreCase))
            ?? names.FirstOrDefault(n => IsSameOrSubdomain(n, domain))
            ?? names.FirstOrDefault()
            ?? SpfMacroContext.Unknown;
    }

    /// <summary>Expands a domain-spec and shortens it from the left to 253 characters (§7.3).</summary>
    private async Task<string> ExpandDomainAsync(string spec, string domain, CancellationToken cancellationToken)
    {
        var context = macros with { Domain = domain };
        if (SpfMacro.NeedsValidatedDomain(spec))
        {
            context = context with { ValidatedDomain = await ValidatedDomainAsync(domain, cancellationToken).ConfigureAwait(false) };
        }

        var expanded = SpfMacro.Expand(spec, context).TrimEnd('.');
        while (expanded.Length > DnsLookup.MaxNameLength)
        {
            var dot = expanded.IndexOf('.');
            expanded = dot < 0 ? string.Empty : expanded[(dot + 1)..];
        }

        return expanded;
    }

    /// <summary>
    /// §6.2: the explanation for a fail. Any problem (DNS error, not exactly one TXT record, bad
    /// syntax, non-printable text) means no explanation; it never changes the result.
    /// </summary>
    private async Task<string?> ExplainAsync(string spec, string domain, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ExpandDomainAsync(spec, domain, cancellationToken).ConfigureAwait(false);
            var answer = await dns.TxtAsync(target, cancellationToken).ConfigureAwait(false);
            if (answer.Records.Count != 1)
            {
                return null;
            }

            var text = answer.Records[0];
            var context = macros with { Domain = domain };
            if (SpfMacro.NeedsValidatedDomain(text))
            {
                context = context with { ValidatedDomain = await ValidatedDomainAsync(domain, cancellationToken).ConfigureAwait(false) };
            }

            var explanation = SpfMacro.Expand(text, context, explanation: true);
            return explanation.All(c => c is >= ' ' and <= '~') ? explanation : null;
        }
        catch (SpfException)
        {
            return null;
        }
    }

    private void CheckAnswer<T>(DnsAnswer<T> answer, string target)
    {
        if (answer.Failed)
        {
            throw SpfException.Temp($"DNS lookup of {target} failed");
        }

        if (answer.IsVoid)
        {
            CountVoid(target);
        }
    }

    private void CountLookup()
    {
        if (++lookups > MaxDnsLookups)
        {
            throw SpfException.Perm($"more than {MaxDnsLookups} DNS lookups");
        }
    }

    private void CountVoid(string target)
    {
        if (++voidLookups > MaxVoidLookups)
        {
            throw SpfException.Perm($"more than {MaxVoidLookups} void DNS lookups (last: {target})");
        }
    }

    private bool InCidr(IPAddress address, SpfMechanism mechanism) =>
        IPAddressPrefix.Matches(address, Client, Client.AddressFamily == AddressFamily.InterNetworkV6 ? mechanism.Ip6Prefix : mechanism.Ip4Prefix);

    private static bool IsSameOrSubdomain(string name, string domain) =>
        name.Equals(domain, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    /// <summary>§4.3: at least two labels, each 1–63 characters, within 253 characters.</summary>
    internal static bool IsValidDomain(string domain) =>
        DnsLookup.IsQueryable(domain) && domain.TrimEnd('.').Contains('.');
}
