using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Moat.Audit.Vulnerabilities;

/// <summary>
/// A version as mail servers print them, compared the way their projects number releases:
/// "4.96.2", "8.15.2", "3.7.11", "6.6.1p1" (a portable release, after 6.6.1 and before 6.6.2),
/// "4.92-RC1" (a release candidate, before 4.92). Missing parts count as zero (4.92 = 4.92.0).
/// Anything else after the numbers ("-15+deb12u2", "+fixes") is a distribution's build tag and
/// does not change the order: a banner cannot say whether a distribution backported a fix.
/// </summary>
public sealed class SoftwareVersion : IComparable<SoftwareVersion>, IEquatable<SoftwareVersion>
{
    private const int MaxParts = 6;
    private readonly int[] parts;

    private SoftwareVersion(string text, int[] parts, VersionReleaseKind kind, int suffixOrder, int suffixNumber, string? buildTag)
    {
        Text = text;
        this.parts = parts;
        Kind = kind;
        SuffixOrder = suffixOrder;
        SuffixNumber = suffixNumber;
        BuildTag = buildTag;
    }

    /// <summary>The version as parsed (without what followed it, such as "/8.15.2" or " #2").</summary>
    public string Text { get; }

    public IReadOnlyList<int> Parts => parts;

    public VersionReleaseKind Kind { get; }

    /// <summary>A distribution's build tag after the version, ignored in comparisons; null if none.</summary>
    public string? BuildTag { get; }

    /// <summary>alpha 0, beta 1, pre 2, rc 3 — only for pre-releases.</summary>
    private int SuffixOrder { get; }

    /// <summary>The number in "rc2" or "p1".</summary>
    private int SuffixNumber { get; }

    public static SoftwareVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a version");

    /// <summary>
    /// Reads a version from the start of <paramref name="text"/>, up to whitespace, "/" or "(";
    /// a leading "v" is allowed. False when it does not start with a number.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SoftwareVersion? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var end = s.IndexOfAny([' ', '\t', '/', '(', '#', ',', ';']);
        if (end >= 0)
        {
            s = s[..end];
        }

        if (s.Length > 1 && (s[0] == 'v' || s[0] == 'V') && char.IsAsciiDigit(s[1]))
        {
            s = s[1..];
        }

        var numbers = new List<int>();
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i - start > 9 || numbers.Count == MaxParts)
            {
                return false;
            }

            numbers.Add(int.Parse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture));

            // Another part only when a dot is followed by a digit; "4.96." or "4.96.rc1" end here.
            if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                continue;
            }

            break;
        }

        var rest = s[i..];
        var (kind, order, number, tag) = Suffix(rest);
        version = new SoftwareVersion(s, numbers.ToArray(), kind, order, number, tag);
        return true;
    }

    public int CompareTo(SoftwareVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var i = 0; i < Math.Max(parts.Length, other.parts.Length); i++)
        {
            var a = i < parts.Length ? parts[i] : 0;
            var b = i < other.parts.Length ? other.parts[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }

        return SuffixOrder != other.SuffixOrder ? SuffixOrder.CompareTo(other.SuffixOrder) : SuffixNumber.CompareTo(other.SuffixNumber);
    }

    public bool Equals(SoftwareVersion? other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => Equals(obj as SoftwareVersion);

    public override int GetHashCode()
    {
        // Trailing zeros do not count (4.92 equals 4.92.0), so they must not change the hash.
        var significant = parts.Length;
        while (significant > 1 && parts[significant - 1] == 0)
        {
            significant--;
        }

        var hash = new HashCode();
        for (var i = 0; i < significant; i++)
        {
            hash.Add(parts[i]);
        }

        hash.Add(Kind);
        hash.Add(SuffixOrder);
        hash.Add(SuffixNumber);
        return hash.ToHashCode();
    }

    public override string ToString() => Text;

    public static bool operator <(SoftwareVersion left, SoftwareVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SoftwareVersion left, SoftwareVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SoftwareVersion left, SoftwareVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SoftwareVersion left, SoftwareVersion right) => left.CompareTo(right) >= 0;

    private static (VersionReleaseKind Kind, int Order, int Number, string? Tag) Suffix(string rest)
    {
        if (rest.Length == 0)
        {
            return (VersionReleaseKind.Release, 0, 0, null);
        }

        var lower = rest.ToLowerInvariant();

        // OpenSSH-style portable releases: "6.6.1p1" comes after 6.6.1.
        if (lower[0] == 'p' && lower.Length > 1 && !lower.AsSpan(1).ContainsAnyExcept("0123456789") && lower.Length <= 10)
        {
            return (VersionReleaseKind.PatchRelease, 0, int.Parse(lower.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture), null);
        }

        var body = lower.TrimStart('-', '_', '.', '~');
        foreach (var (word, order) in PreReleaseWords)
        {
            if (!body.StartsWith(word, StringComparison.Ordinal))
            {
                continue;
            }

            var after = body.AsSpan(word.Length).TrimStart("-_.");
            var digits = 0;
            while (digits < after.Length && digits < 9 && char.IsAsciiDigit(after[digits]))
            {
                digits++;
            }

            // "4.96-rc1-11-315206fbf": the release candidate, whatever snapshot tag follows.
            var nextIsLetter = digits == 0 && after.Length > 0 && char.IsAsciiLetter(after[0]);
            if (!nextIsLetter)
            {
                var number = digits == 0 ? 0 : int.Parse(after[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
                return (VersionReleaseKind.PreRelease, order, number, null);
            }
        }

        return (VersionReleaseKind.Release, 0, 0, rest);
    }

    private static readonly (string Word, int Order)[] PreReleaseWords =
    [
        ("alpha", 0), ("beta", 1), ("pre", 2), ("rc", 3), ("a", 0), ("b", 1),
    ];
}
