using Moat.Storage.Trust;
using Moat.Trust.Contacts;

namespace Moat.Web.TrustLists;

/// <summary>
/// The CSV download of one list: <c>moat trust export</c>'s file (so the import form and
/// <c>moat trust import</c> read it back, and a spreadsheet runs none of it), with CRLF lines.
/// </summary>
internal static class TrustCsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Write(IEnumerable<TrustEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var csv = new StringWriter { NewLine = "\r\n" };
        TrustListCsv.Write(csv, entries);
        return csv.ToString();
    }

    /// <summary>The download's name: trust-alice@example.org.csv, or trust-organisation.csv.</summary>
    public static string FileName(string owner) =>
        owner == TrustEntry.Organisation ? "trust-organisation.csv" : $"trust-{owner}.csv";
}
