namespace Moat.Trust.Sources;

/// <summary>Host-name syntax shared by the HELO check and the envelope domain.</summary>
internal static class DomainNames
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// Lower-cases and drops one trailing dot (an absolute name is the same host).
    /// </summary>
    public static string Normalize(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.EndsWith('.') && trimmed.Length > 1)
        {
            trimmed = trimmed[..^1];
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// Classifies a normalized name as <see cref="HeloFinding.Valid"/>, <see cref="HeloFinding.NotFullyQualified"/>
    /// or <see cref="HeloFinding.InvalidSyntax"/>. Underscores are allowed, as Postfix allows them,
    /// because real (mostly Windows-named) mail servers use them and they say nothing about spam.
    /// Non-ASCII is refused: a HELO name must be in A-labels.
    /// </summary>
    public static HeloFinding Classify(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return HeloFinding.InvalidSyntax;
        }

        var labels = name.Split('.');
        foreach (var label in labels)
        {
            if (!IsValidLabel(label))
            {
                return HeloFinding.InvalidSyntax;
            }
        }

        if (labels.Length < 2)
        {
            return HeloFinding.NotFullyQualified;
        }

        // No top-level domain is numeric; "1.2.3.4.5" or "10.0.0.1.x"-style junk ends up here.
        return labels[^1].All(char.IsAsciiDigit) ? HeloFinding.InvalidSyntax : HeloFinding.Valid;
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="domain"/> or a name below it (both normalized).</summary>
    public static bool IsAtOrBelow(string name, string domain) =>
        name.Length > 0 && domain.Length > 0 &&
        (name == domain || (name.Length > domain.Length && name.EndsWith(domain, StringComparison.Ordinal) && name[^(domain.Length + 1)] == '.'));

    private static bool IsValidLabel(string label)
    {
        if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
