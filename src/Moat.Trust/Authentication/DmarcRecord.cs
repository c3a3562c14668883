using System.Globalization;

namespace Moat.Trust.Authentication;

/// <summary>
/// A DMARC policy record (RFC 7489 §6.3, with psd= and t= from DMARCbis). Parsing follows the
/// RFC's leniency: the record must start with v=DMARC1 (exact case), but a malformed or unknown
/// tag elsewhere is ignored and takes its default. p= and sp= keep "absent" and "invalid"
/// apart because §6.6.3 treats an invalid or missing p= specially.
/// </summary>
internal sealed record DmarcRecord
{
    /// <summary>p=; null when missing or not none/quarantine/reject.</summary>
    public DmarcPolicy? Policy { get; init; }

    /// <summary>sp=; null when absent or invalid (see <see cref="SubdomainPolicyInvalid"/>).</summary>
    public DmarcPolicy? SubdomainPolicy { get; init; }

    public bool SubdomainPolicyInvalid { get; init; }

    public bool StrictDkim { get; init; }

    public bool StrictSpf { get; init; }

    /// <summary>pct=, 0–100; 100 when absent or invalid.</summary>
    public int Percent { get; init; } = 100;

    /// <summary>DMARCbis t=y: the owner is testing its policy.</summary>
    public bool Testing { get; init; }

    /// <summary>DMARCbis psd=: 'y' a public suffix domain, 'n' an organisational domain, 'u' unknown.</summary>
    public char Psd { get; init; } = 'u';

    /// <summary>rua= holds at least one syntactically valid URI (§6.6.3 uses it when p= is bad).</summary>
    public bool HasValidRua { get; init; }

    /// <summary>The record, or null when the text is not a DMARC record (v=DMARC1 is not the first tag).</summary>
    public static DmarcRecord? Parse(string text)
    {
        var parts = text.Split(';');
        var first = SplitTag(parts[0]);
        if (first is not ("v", "DMARC1"))
        {
            return null;
        }

        var record = new DmarcRecord();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            if (SplitTag(part) is not { } tag || !seen.Add(tag.Name))
            {
                // Malformed parts and repeated tags are ignored; the first occurrence counts.
                continue;
            }

            var (name, value) = tag;
            record = name switch
            {
                "p" => record with { Policy = ParsePolicy(value) },
                "sp" => ParsePolicy(value) is { } sp ? record with { SubdomainPolicy = sp } : record with { SubdomainPolicyInvalid = true },
                "adkim" => record with { StrictDkim = value.Equals("s", StringComparison.OrdinalIgnoreCase) },
                "aspf" => record with { StrictSpf = value.Equals("s", StringComparison.OrdinalIgnoreCase) },
                "pct" => record with { Percent = ParsePercent(value) },
                "t" => record with { Testing = value.Equals("y", StringComparison.OrdinalIgnoreCase) },
                "psd" => record with { Psd = value.ToLowerInvariant() is "y" or "n" ? char.ToLowerInvariant(value[0]) : 'u' },
                "rua" => record with { HasValidRua = value.Split(',').Any(IsReportUri) },
                _ => record,
            };
        }

        return record;
    }

    /// <summary>"name = value" with optional whitespace; name lower-cased; null when malformed.</summary>
    private static (string Name, string Value)? SplitTag(string part)
    {
        var equals = part.IndexOf('=');
        if (equals <= 0)
        {
            return null;
        }

        var name = part[..equals].Trim(' ', '\t').ToLowerInvariant();
        var value = part[(equals + 1)..].Trim(' ', '\t');
        return name.Length == 0 || !name.All(char.IsAsciiLetter) || value.Length == 0 ? null : (name, value);
    }

    private static DmarcPolicy? ParsePolicy(string value) => value.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };

    private static int ParsePercent(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent <= 100 ? percent : 100;

    /// <summary>A dmarc-uri: an absolute URI, optionally followed by the obsolete "!size" suffix.</summary>
    private static bool IsReportUri(string text)
    {
        var uri = text.Trim(' ', '\t');
        var bang = uri.IndexOf('!');
        if (bang >= 0)
        {
            uri = uri[..bang];
        }

        return Uri.TryCreate(uri, UriKind.Absolute, out _);
    }
}
