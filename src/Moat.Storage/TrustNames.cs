using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Moat.Storage;

/// <summary>
/// The one canonical form of trust-list owners and patterns: trimmed, lower case, without the
/// trailing dot, domains in ASCII (IDNs as punycode, as Moat.Pipeline's DomainName has them).
/// Every writer goes through here, so a list never holds two spellings of one entry.
/// </summary>
public static class TrustNames
{
    private const int MaxDomainLength = 253;
    private const int MaxLabelLength = 63;
    private const int MaxLocalPartLength = 64;

    // RFC 5322 atext plus the dot of a dot-atom; quoted local parts are too rare in real
    // address books to be worth the escaping problems they bring into lists and CSV files.
    private const string LocalPartSpecials = "!#$%&'*+-/=?^_`{|}~.";

    /// <summary>The owner in canonical form: <c>*</c> or a user's address.</summary>
    /// <exception cref="ArgumentException">It is neither.</exception>
    public static string NormaliseOwner(string owner, [CallerArgumentExpression(nameof(owner))] string? parameterName = null) =>
        TryNormaliseOwner(owner, out var normalised, out var problem) ? normalised : throw new ArgumentException(problem, parameterName);

    /// <summary>The pattern in canonical form: an address or a domain name.</summary>
    /// <exception cref="ArgumentException">It is neither.</exception>
    public static string NormalisePattern(string pattern, [CallerArgumentExpression(nameof(pattern))] string? parameterName = null) =>
        TryNormalisePattern(pattern, out var normalised, out var problem) ? normalised : throw new ArgumentException(problem, parameterName);

    public static bool TryNormaliseOwner(string? value, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? problem)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed == "*")
        {
            normalised = "*";
            problem = null;
            return true;
        }

        if (!trimmed.Contains('@'))
        {
            normalised = null;
            problem = trimmed.Length == 0
                ? "The owner is empty; an owner is a local user's address (alice@example.org) or * for the organisation."
                : $"The owner '{trimmed}' is not an e-mail address; an owner is a local user's address (alice@example.org) or * for the organisation.";
            return false;
        }

        return TryNormaliseAddress(trimmed, out normalised, out problem);
    }

    public static bool TryNormalisePattern(string? value, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? problem)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            normalised = null;
            problem = "The address or domain is empty.";
            return false;
        }

        return trimmed.Contains('@')
            ? TryNormaliseAddress(trimmed, out normalised, out problem)
            : TryNormaliseDomain(trimmed, out normalised, out problem);
    }

    /// <summary>A whole address <c>local@domain</c> (no display name, no angle brackets).</summary>
    public static bool TryNormaliseAddress(string? value, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? problem)
    {
        normalised = null;
        var trimmed = value?.Trim() ?? string.Empty;
        var at = trimmed.IndexOf('@');
        if (at < 0)
        {
            problem = $"'{trimmed}' is not an e-mail address: it has no @.";
            return false;
        }

        if (trimmed.IndexOf('@', at + 1) >= 0)
        {
            problem = $"'{trimmed}' is not an e-mail address: it has more than one @.";
            return false;
        }

        var local = trimmed[..at];
        if (local.Length == 0)
        {
            problem = $"'{trimmed}' is not an e-mail address: there is nothing before the @.";
            return false;
        }

        if (local.Length > MaxLocalPartLength)
        {
            problem = $"'{trimmed}' is not an e-mail address: the part before the @ is longer than {MaxLocalPartLength} characters.";
            return false;
        }

        foreach (var c in local)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || LocalPartSpecials.Contains(c) || (c > 127 && !char.IsWhiteSpace(c) && !char.IsControl(c))))
            {
                problem = $"'{trimmed}' is not an e-mail address: the part before the @ contains '{c}', which Moat does not accept there.";
                return false;
            }
        }

        var domain = trimmed[(at + 1)..];
        if (domain.Length == 0 || domain == ".")
        {
            problem = $"'{trimmed}' is not an e-mail address: there is nothing after the @.";
            return false;
        }

        if (!TryNormaliseDomain(domain, out var canonicalDomain, out var domainProblem))
        {
            problem = $"'{trimmed}' is not an e-mail address: {domainProblem}";
            return false;
        }

        normalised = local.ToLowerInvariant() + "@" + canonicalDomain;
        problem = null;
        return true;
    }

    /// <summary>A domain name of at least two labels (a whole top-level domain is never trusted).</summary>
    public static bool TryNormaliseDomain(string? value, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? problem)
    {
        normalised = null;
        var trimmed = value?.Trim() ?? string.Empty;
        var name = trimmed.EndsWith('.') ? trimmed[..^1] : trimmed;
        if (name.Length == 0)
        {
            problem = "the domain is empty.";
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0)
            {
                problem = $"'{trimmed}' is not a domain name: it has an empty label (two dots in a row, or a leading dot).";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                problem = $"'{trimmed}' is not a domain name: the label '{label}' starts or ends with a hyphen.";
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || (c > 127 && char.IsLetterOrDigit(c))))
                {
                    problem = $"'{trimmed}' is not a domain name: '{c}' is not allowed (only letters, digits, hyphens and dots).";
                    return false;
                }
            }
        }

        string ascii;
        try
        {
            // IdnMapping in invariant globalization mode does not fold case, so fold first.
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(name.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            problem = $"'{trimmed}' is not a valid internationalised domain name.";
            return false;
        }

        if (ascii.Length > MaxDomainLength || ascii.Split('.').Any(l => l.Length > MaxLabelLength))
        {
            problem = $"'{trimmed}' is not a domain name: it is longer than DNS allows ({MaxDomainLength} characters, {MaxLabelLength} per label).";
            return false;
        }

        var lastDot = ascii.LastIndexOf('.');
        if (lastDot < 0)
        {
            problem = $"'{trimmed}' is a single label; give a whole domain such as example.org (a top-level domain cannot be trusted as a whole).";
            return false;
        }

        if (!ascii.AsSpan(lastDot + 1).ContainsAnyExcept("0123456789"))
        {
            problem = $"'{trimmed}' looks like an IP address; trust lists take addresses and domain names.";
            return false;
        }

        normalised = ascii;
        problem = null;
        return true;
    }
}
