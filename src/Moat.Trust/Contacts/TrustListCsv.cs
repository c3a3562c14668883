using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Moat.Storage;
using Moat.Storage.Trust;

namespace Moat.Trust.Contacts;

/// <summary>
/// Moat's own trust-list file (<c>moat trust export</c>): <see cref="Header"/>, then one entry per
/// line with UTC ISO-8601 times. <see cref="ContactsReader"/> recognises it by its header, so an
/// export imports back with owners, sources and times kept.
/// </summary>
public static class TrustListCsv
{
    public const string Header = "owner,pattern,source,added,expires";

    private const char FormulaGuard = '\'';

    private static readonly string[] Columns = Header.Split(',');

    public static void Write(TextWriter writer, IEnumerable<TrustEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entries);
        writer.WriteLine(Header);
        foreach (var entry in entries)
        {
            writer.Write(Cell(entry.Owner));
            writer.Write(',');
            writer.Write(Cell(entry.Pattern));
            writer.Write(',');
            writer.Write(FormatSource(entry.Source));
            writer.Write(',');
            writer.Write(FormatTime(entry.Added));
            writer.Write(',');
            writer.WriteLine(entry.Expires is { } expires ? FormatTime(expires) : string.Empty);
        }
    }

    /// <summary>
    /// One field, safe to open in a spreadsheet: patterns come from other people's mail and
    /// contacts, and a cell such as <c>=HYPERLINK(…)</c> or <c>+1-2@example.org</c> would run as a
    /// formula. A leading = + - @ (or tab or carriage return, which some spreadsheets skip first)
    /// gets an apostrophe in front, as OWASP advises, which the reader takes off again; then the
    /// field is quoted when it holds a delimiter, a quote or a line break.
    /// </summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CsvFields.Quote(StartsLikeAFormula(value) ? FormulaGuard + value : value);
    }

    public static string FormatSource(TrustSource source) => source.ToString().ToLowerInvariant();

    /// <summary>UTC to the millisecond, e.g. <c>2026-03-01T12:00:00.000Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static bool IsHeader(IReadOnlyList<string> record) =>
        record.Count >= Columns.Length
        && Columns.Select((column, i) => record[i].Trim().Equals(column, StringComparison.OrdinalIgnoreCase)).All(same => same);

    internal static bool TryParse(IReadOnlyList<string> record, [NotNullWhen(true)] out ContactEntry? entry)
    {
        entry = null;
        string Field(int i) => i < record.Count ? Unguard(record[i].Trim()) : string.Empty;

        if (!TrustNames.TryNormaliseOwner(Field(0), out var owner, out _)
            || !TrustNames.TryNormalisePattern(Field(1), out var pattern, out _))
        {
            return false;
        }

        TrustSource? source = null;
        if (Field(2).Length > 0)
        {
            if (!Enum.TryParse<TrustSource>(Field(2), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(Field(2), out _))
            {
                return false;
            }

            source = parsed;
        }

        if (!TryParseTime(Field(3), out var added) || !TryParseTime(Field(4), out var expires))
        {
            return false;
        }

        entry = new ContactEntry(pattern, owner, source, added, expires);
        return true;
    }

    private static bool StartsLikeAFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static string Unguard(string field) =>
        field.Length > 1 && field[0] == FormulaGuard && StartsLikeAFormula(field[1..]) ? field[1..] : field;

    private static bool TryParseTime(string text, out DateTimeOffset? time)
    {
        time = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }
}
