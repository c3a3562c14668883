using System.Text;
using Moat.Storage.Trust;
using Moat.Trust.Contacts;

namespace Moat.Web.TrustLists;

/// <summary>
/// The import form's file: contacts as CSV or vCard, or a trust-list export, read by the same
/// <see cref="ContactsReader"/> as <c>moat trust import</c>. Everything goes on the list the form
/// was for, whatever owner an export names: a user must not fill someone else's list this way.
/// </summary>
internal static class TrustImport
{
    /// <summary>1 MiB holds tens of thousands of contacts; more is not an address book.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Room for the multipart framing and the other fields around the file.</summary>
    public const long MaxRequestBytes = MaxFileBytes + (64 * 1024);

    public static ContactsFormat ParseFormat(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "csv" => ContactsFormat.Csv,
        "vcard" => ContactsFormat.VCard,
        _ => ContactsFormat.Auto,
    };

    /// <summary>Reads the upload as UTF-8, or UTF-16 when it starts with a byte order mark (Outlook's "Unicode" export).</summary>
    public static async Task<ContactsReadResult> ReadAsync(Stream content, string? fileName, ContactsFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return ContactsReader.Read(new StringReader(text), format, fileName);
    }

    /// <summary>
    /// The entries to add to <paramref name="owner"/>'s list. An export keeps its sources and
    /// times, so exporting and importing again changes nothing; address books give contacts.
    /// </summary>
    public static IReadOnlyList<TrustEntry> ToEntries(ContactsReadResult contacts, string owner, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentNullException.ThrowIfNull(owner);
        return contacts.Entries
            .Select(c => new TrustEntry(owner, c.Pattern, c.Source ?? TrustSource.Contact, c.Added ?? now, c.Expires))
            .DistinctBy(e => e.Pattern, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Why nothing was imported, in the words of <c>moat trust import</c>.</summary>
    public static string NothingFound(ContactsReadResult contacts) =>
        contacts.Invalid > 0
            ? $"None of the {contacts.Invalid} values in the file is a valid e-mail address, so nothing was imported."
            : $"Found no e-mail addresses in the file (read as {(contacts.Format == ContactsFormat.VCard ? "vCard" : "CSV")}). "
              + "A CSV file needs a column named like \"E-mail Address\", \"E-mail 1 - Value\" or \"Email\", or one address per line; a vCard needs EMAIL lines. "
              + "Choosing the format instead of \"detect\" overrides the guess.";
}
