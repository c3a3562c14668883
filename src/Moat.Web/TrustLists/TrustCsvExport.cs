using System.Text;
using Moat.Storage.Trust;
using Moat.Trust.Contacts;

namespace Moat.Web.TrustLists;

/// <summary>
/// The CSV download of one list, in the layout of <c>moat trust export</c> (so the import form
/// and <c>moat trust import</c> read it back), but safe to open in a spreadsheet: patterns come
/// from other people's mail and contacts, and a cell such as <c>=HYPERLINK(…)</c> or
/// <c>+1-2@example.org</c> would be run as a formula.
/// </summary>
internal static class TrustCsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Write(IEnumerable<TrustEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var csv = new StringBuilder();
        csv.Append(TrustListCsv.Header).Append("\r\n");
        foreach (var entry in entries)
        {
            csv.Append(Cell(entry.Owner)).Append(',')
                .Append(Cell(entry.Pattern)).Append(',')
                .Append(Cell(TrustListCsv.FormatSource(entry.Source))).Append(',')
                .Append(Cell(TrustListCsv.FormatTime(entry.Added))).Append(',')
                .Append(entry.Expires is { } expires ? Cell(TrustListCsv.FormatTime(expires)) : string.Empty)
                .Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// One field: a leading = + - @ (or tab or carriage return, which some spreadsheets skip
    /// before looking for those) gets an apostrophe in front, as OWASP advises; then the field
    /// is quoted when it holds a delimiter, a quote or a line break.
    /// </summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n;\t") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    /// <summary>The download's name: trust-alice@example.org.csv, or trust-organisation.csv.</summary>
    public static string FileName(string owner) =>
        owner == TrustEntry.Organisation ? "trust-organisation.csv" : $"trust-{owner}.csv";
}
