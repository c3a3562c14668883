using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Moat.Trust.Authentication;

/// <summary>
/// Parses SPF records (RFC 7208 §4.5, §4.6, §5, §6, ABNF in §12). Any syntax error anywhere in the
/// record throws permerror before anything is evaluated, as §4.6 requires.
/// </summary>
internal static partial class SpfRecordParser
{
    private const string Version = "v=spf1";

    /// <summary>§4.5: a record starts with "v=spf1" followed by a space or the end (case-insensitive).</summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith(Version, StringComparison.OrdinalIgnoreCase)
        && (text.Length == Version.Length || text[Version.Length] == ' ');

    public static SpfRecord Parse(string text)
    {
        if (!IsSpfRecord(text))
        {
            throw SpfException.Perm("not an SPF record");
        }

        var mechanisms = new List<SpfMechanism>();
        string? redirect = null;
        string? explanation = null;

        // Terms are separated by one or more spaces (1*SP); tabs and other whitespace are errors.
        foreach (var term in text[Version.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var modifier = ModifierName().Match(term);
            if (!modifier.Success)
            {
                mechanisms.Add(ParseMechanism(term));
                continue;
            }

            var name = modifier.Groups[1].Value.ToLowerInvariant();
            var value = term[(modifier.Length)..];
            switch (name)
            {
                case "redirect":
                    SpfMacro.ValidateDomainSpec(value);
                    redirect = redirect is null ? value : throw SpfException.Perm("more than one redirect= modifier");
                    break;
                case "exp":
                    SpfMacro.ValidateDomainSpec(value);
                    explanation = explanation is null ? value : throw SpfException.Perm("more than one exp= modifier");
                    break;
                default:
                    // Unknown modifiers are ignored (§6), but must still be valid macro-strings.
                    SpfMacro.Validate(value, explanation: false);
                    break;
            }
        }

        return new SpfRecord(mechanisms, redirect, explanation);
    }

    private static SpfMechanism ParseMechanism(string term)
    {
        var qualifier = term[0] switch
        {
            '+' => SpfResult.Pass,
            '-' => SpfResult.Fail,
            '~' => SpfResult.SoftFail,
            '?' => SpfResult.Neutral,
            _ => (SpfResult?)null,
        };
        var body = qualifier is null ? term : term[1..];
        var nameEnd = body.IndexOfAny([':', '/']);
        var name = (nameEnd < 0 ? body : body[..nameEnd]).ToLowerInvariant();
        var argument = nameEnd < 0 ? string.Empty : body[nameEnd..];
        var result = qualifier ?? SpfResult.Pass;

        return name switch
        {
            "all" => argument.Length == 0 ? new SpfMechanism(result, SpfMechanismKind.All) : throw Invalid(term),
            "include" => new SpfMechanism(result, SpfMechanismKind.Include, RequiredDomainSpec(argument, term)),
            "exists" => new SpfMechanism(result, SpfMechanismKind.Exists, RequiredDomainSpec(argument, term)),
            "ptr" => new SpfMechanism(result, SpfMechanismKind.Ptr, OptionalDomainSpec(argument, term)),
            "a" => WithDualCidr(result, SpfMechanismKind.A, argument, term),
            "mx" => WithDualCidr(result, SpfMechanismKind.Mx, argument, term),
            "ip4" => Ip4(result, argument, term),
            "ip6" => Ip6(result, argument, term),
            _ => throw SpfException.Perm($"unknown mechanism '{term}'"),
        };
    }

    private static string RequiredDomainSpec(string argument, string term)
    {
        if (!argument.StartsWith(':'))
        {
            throw Invalid(term);
        }

        var spec = argument[1..];
        SpfMacro.ValidateDomainSpec(spec);
        return spec;
    }

    private static string? OptionalDomainSpec(string argument, string term) =>
        argument.Length == 0 ? null : RequiredDomainSpec(argument, term);

    /// <summary>a and mx: [":" domain-spec] [ip4-cidr-length] ["/" ip6-cidr-length].</summary>
    private static SpfMechanism WithDualCidr(SpfResult result, SpfMechanismKind kind, string argument, string term)
    {
        // A domain-end cannot contain "/", so a trailing "/n" or "//n" is always the CIDR part.
        var match = DualCidr().Match(argument);
        var ip4 = match.Groups["v4"].Success ? PrefixLength(match.Groups["v4"].Value, 32, term) : 32;
        var ip6 = match.Groups["v6"].Success ? PrefixLength(match.Groups["v6"].Value, 128, term) : 128;
        var spec = OptionalDomainSpec(match.Groups["rest"].Value, term);
        return new SpfMechanism(result, kind, spec, Ip4Prefix: ip4, Ip6Prefix: ip6);
    }

    private static SpfMechanism Ip4(SpfResult result, string argument, string term)
    {
        var (address, prefix) = SplitNetwork(argument, term);
        if (!IsStrictDottedQuad(address) || !IPAddress.TryParse(address, out var network))
        {
            throw Invalid(term);
        }

        var length = prefix is null ? 32 : PrefixLength(prefix, 32, term);
        return new SpfMechanism(result, SpfMechanismKind.Ip4, Network: network, Ip4Prefix: length);
    }

    private static SpfMechanism Ip6(SpfResult result, string argument, string term)
    {
        var (address, prefix) = SplitNetwork(argument, term);
        if (address.Contains('%') || !IPAddress.TryParse(address, out var network) || network.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw Invalid(term);
        }

        var length = prefix is null ? 128 : PrefixLength(prefix, 128, term);
        return new SpfMechanism(result, SpfMechanismKind.Ip6, Network: network, Ip6Prefix: length);
    }

    private static (string Address, string? Prefix) SplitNetwork(string argument, string term)
    {
        if (!argument.StartsWith(':'))
        {
            throw Invalid(term);
        }

        var slash = argument.IndexOf('/');
        return slash < 0 ? (argument[1..], null) : (argument[1..slash], argument[(slash + 1)..]);
    }

    /// <summary>A CIDR length: decimal without leading zeros, at most <paramref name="max"/>.</summary>
    private static int PrefixLength(string digits, int max, string term)
    {
        if (digits.Length is 0 or > 3 || !digits.All(char.IsAsciiDigit) || (digits.Length > 1 && digits[0] == '0'))
        {
            throw Invalid(term);
        }

        var length = int.Parse(digits, CultureInfo.InvariantCulture);
        return length <= max ? length : throw Invalid(term);
    }

    /// <summary>ip4-network is exactly four decimal octets without leading zeros (§12 qnum).</summary>
    private static bool IsStrictDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3
            && p.All(char.IsAsciiDigit)
            && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static SpfException Invalid(string term) => SpfException.Perm($"invalid mechanism '{term}'");

    /// <summary>A modifier is name "=" …, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).</summary>
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9._-]*)=")]
    private static partial Regex ModifierName();

    [GeneratedRegex("^(?<rest>.*?)(?:/(?<v4>[0-9]*))?(?://(?<v6>[0-9]*))?$", RegexOptions.Singleline)]
    private static partial Regex DualCidr();
}
