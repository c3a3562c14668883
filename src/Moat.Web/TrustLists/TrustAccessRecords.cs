using System.Text;
using Moat.Storage.AccessLog;
using Moat.Storage.Trust;
using Moat.Trust.Contacts;

namespace Moat.Web.TrustLists;

/// <summary>
/// The access-log entries the trust pages write. The owner of a user's list is its data subject,
/// so each user can see who changed or exported their list; the organisation's list has none.
/// </summary>
internal static class TrustAccessRecords
{
    /// <summary>Enough of an uploaded file's name to recognise it; the rest is the uploader's to know.</summary>
    public const int MaxFileNameLength = 100;

    public static AccessLogRecord Added(string actor, TrustEntry entry, bool replaced)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var until = entry.Expires is { } expires ? $", until {TrustListCsv.FormatTime(expires)}" : string.Empty;
        var verb = replaced ? "updated" : "added";
        var preposition = replaced ? "on" : "to";
        return Change(actor, entry.Owner, $"{verb} {entry.Pattern} {preposition} {TrustOwnerAccess.DescribeForLog(entry.Owner)} ({TrustListCsv.FormatSource(entry.Source)}{until})");
    }

    public static AccessLogRecord Removed(string actor, string owner, string pattern) =>
        Change(actor, owner, $"removed {pattern} from {TrustOwnerAccess.DescribeForLog(owner)}");

    public static AccessLogRecord Imported(string actor, string owner, int imported, int invalid, string? fileName) =>
        Change(actor, owner, $"imported {Entries(imported)} ({invalid} invalid skipped) from {SafeFileName(fileName)} to {TrustOwnerAccess.DescribeForLog(owner)}");

    public static AccessLogRecord Exported(string actor, string owner, int count) =>
        new(actor, AccessActions.Export, DataSubjects: Subjects(owner), Detail: $"downloaded {TrustOwnerAccess.DescribeForLog(owner)} as CSV ({Entries(count)})");

    /// <summary>
    /// The uploaded file's own name without any folder, control characters or broken UTF-16 (the
    /// log refuses text it cannot hash), and cut short: the browser sends whatever it likes.
    /// </summary>
    public static string SafeFileName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'));
        var clean = new StringBuilder(Math.Min(name.Length, MaxFileNameLength));
        foreach (var rune in name.EnumerateRunes())
        {
            if (clean.Length + rune.Utf16SequenceLength > MaxFileNameLength)
            {
                break;
            }

            if (!Rune.IsControl(rune) && rune != Rune.ReplacementChar)
            {
                clean.Append(rune.ToString());
            }
        }

        var result = clean.ToString().Trim();
        return result.Length == 0 ? "an unnamed file" : result;
    }

    private static AccessLogRecord Change(string actor, string owner, string detail) =>
        new(actor, AccessActions.TrustChange, DataSubjects: Subjects(owner), Detail: detail);

    private static IReadOnlyList<string> Subjects(string owner) =>
        owner == TrustEntry.Organisation ? [] : [owner];

    private static string Entries(int count) => count == 1 ? "1 entry" : $"{count} entries";
}
