using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Moat.Audit.Targets;

/// <summary>
/// The one form in which domains and host names are kept: lower-case ASCII, IDNs as punycode,
/// without the trailing dot. Two spellings of one name must not become two targets.
/// </summary>
internal static class TargetName
{
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Gives the canonical name, or an error saying what is wrong with it.</summary>
    public static bool TryNormalize(string text, [NotNullWhen(true)] out string? name, out string? error)
    {
        name = null;
        error = null;
        var trimmed = text.EndsWith('.') ? text[..^1] : text;
        if (trimmed.Length == 0)
        {
            return false;
        }

        string ascii;
        try
        {
            // IdnMapping in invariant globalization mode does not fold case, so fold first.
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(trimmed.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (ascii.Length > MaxLength)
        {
            return false;
        }

        var labels = ascii.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-'
                || label.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-"))
            {
                return false;
            }
        }

        // A single label would be completed by a resolver's search list, which the audit does not
        // use; an all-digit last label is an address typo (RFC 3696 §2), not a name.
        if (labels.Length < 2)
        {
            error = $"'{text}' is not a fully-qualified name (write e.g. {trimmed}.example.org)";
            return false;
        }

        if (!labels[^1].AsSpan().ContainsAnyExcept("0123456789"))
        {
            return false;
        }

        name = ascii;
        return true;
    }
}
