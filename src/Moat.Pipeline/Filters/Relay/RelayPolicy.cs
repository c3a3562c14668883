using System.Net;

namespace Moat.Pipeline.Filters.Relay;

/// <summary>
/// The compiled form of <see cref="RelayControlOptions"/>: who is trusted and which domains are
/// ours. Shared by the filters that must agree on both (relay control and sender checks).
/// </summary>
public sealed class RelayPolicy
{
    private readonly IPNetwork[] trustedNetworks;
    private readonly HashSet<string> acceptedDomains;

    /// <exception cref="ArgumentException">A domain or network in the options is malformed; the message names every one.</exception>
    public RelayPolicy(RelayControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        acceptedDomains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in options.AcceptedDomains)
        {
            if (DomainName.TryNormalize(domain?.Trim(), out var canonical))
            {
                acceptedDomains.Add(canonical);
            }
            else
            {
                errors.Add($"accepted domain '{domain}' is not a valid domain name");
            }
        }

        var networks = new List<IPNetwork>();
        foreach (var text in options.EffectiveTrustedNetworks)
        {
            if (TryParseNetwork(text?.Trim(), out var network))
            {
                networks.Add(network);
            }
            else
            {
                errors.Add($"trusted network '{text}' is not an address or CIDR network");
            }
        }

        if (errors.Count > 0)
        {
            // No parameter name: the message is shown to operators as a configuration error.
            throw new ArgumentException("invalid relay control options: " + string.Join("; ", errors));
        }

        trustedNetworks = networks.ToArray();
    }

    /// <summary>The accepted domains in canonical form.</summary>
    public IReadOnlyCollection<string> AcceptedDomains => acceptedDomains;

    /// <summary>The client may relay: it connects from a trusted network or has authenticated.</summary>
    public bool IsTrusted(TransactionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.AuthenticatedUser is not null || IsTrustedAddress(context.ClientAddress);
    }

    public bool IsTrustedAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var client = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return trustedNetworks.Any(n => n.Contains(client));
    }

    /// <summary>The domain, in any spelling (case, one trailing dot, Unicode or punycode), is one of ours.</summary>
    public bool IsAcceptedDomain(string? domain) =>
        DomainName.TryNormalize(domain, out var canonical) && acceptedDomains.Contains(canonical);

    private static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // IPAddress parsing takes "10" or "10.1" as IPv4 addresses; a typo must not silently
        // trust 0.0.0.10, so an IPv4 address must have all four parts.
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!addressText.Contains(':') && !DomainName.IsValidAddressLiteral("[" + addressText + "]"))
        {
            return false;
        }

        if (slash >= 0)
        {
            return IPNetwork.TryParse(text, out network);
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }

        network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
        return true;
    }
}
