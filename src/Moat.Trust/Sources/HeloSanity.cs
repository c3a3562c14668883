using System.Net;

namespace Moat.Trust.Sources;

/// <summary>
/// Is the HELO/EHLO argument what a real MTA would send (RFC 5321 §4.1.1.1: its fully-qualified
/// name, or an address literal when it has none)? Pure syntax and configuration; no DNS.
/// </summary>
public static class HeloSanity
{
    private const string Ipv6Tag = "IPv6:";

    public static HeloFinding Evaluate(string? helo, IPAddress client, SenderSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(helo))
        {
            return HeloFinding.Missing;
        }

        var text = helo.Trim();
        if (text.StartsWith('['))
        {
            return EvaluateLiteral(text, Canonical(client));
        }

        if (IsBareAddress(text))
        {
            return HeloFinding.BareAddress;
        }

        var name = DomainNames.Normalize(text);
        if (name is "localhost" or "localhost.localdomain" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return HeloFinding.Localhost;
        }

        // Before the syntax check, so that a short local name ("mx1") is reported as the forgery it is.
        if (options.LocalHostNames.Any(h => DomainNames.Normalize(h) == name) ||
            options.LocalDomains.Any(d => DomainNames.IsAtOrBelow(name, DomainNames.Normalize(d))))
        {
            return HeloFinding.ClaimsToBeUs;
        }

        return DomainNames.Classify(name);
    }

    /// <summary>The address compared with HELO literals and DNS answers: IPv4-mapped IPv6 as plain IPv4.</summary>
    internal static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static HeloFinding EvaluateLiteral(string text, IPAddress client)
    {
        if (!text.EndsWith(']') || text.Length < 3)
        {
            return HeloFinding.InvalidSyntax;
        }

        var inner = text[1..^1];
        IPAddress? address;
        if (inner.StartsWith(Ipv6Tag, StringComparison.OrdinalIgnoreCase))
        {
            if (!IPAddress.TryParse(inner[Ipv6Tag.Length..], out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return HeloFinding.InvalidSyntax;
            }
        }
        else if (IsDottedQuad(inner))
        {
            address = IPAddress.Parse(inner);
        }
        else if (inner.Contains(':') && IPAddress.TryParse(inner, out address))
        {
            // An IPv6 literal without the "IPv6:" tag is wrong but common; what matters here is
            // whether it is the client's address.
        }
        else
        {
            return HeloFinding.InvalidSyntax;
        }

        return Canonical(address).Equals(client) ? HeloFinding.AddressLiteral : HeloFinding.LiteralMismatch;
    }

    private static bool IsBareAddress(string text) =>
        IsDottedQuad(text) || (text.Contains(':') && IPAddress.TryParse(text, out _));

    /// <summary>Strictly four decimal octets: .NET also parses "10.1" and "0x7f.1", which no MTA sends.</summary>
    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
