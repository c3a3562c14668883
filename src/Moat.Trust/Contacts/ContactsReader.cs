using System.Text;
using MimeKit;
using Moat.Storage;

namespace Moat.Trust.Contacts;

/// <summary>
/// Reads the e-mail addresses out of address-book exports (Google and Outlook CSV, plain lists,
/// vCards) and out of Moat's own trust-list export. Values that are not valid addresses are
/// skipped and counted, never fatal: a real address book always holds a few.
/// </summary>
public static class ContactsReader
{
    // Google puts every address of one kind in one cell: "a@example.org ::: b@example.org".
    private const string GoogleSeparator = ":::";

    /// <summary>The distinct valid addresses in <paramref name="reader"/>.</summary>
    public static IReadOnlyList<string> ReadAddresses(TextReader reader, ContactsFormat format) =>
        Read(reader, format).Addresses;

    /// <summary>Reads everything from <paramref name="reader"/>; <paramref name="fileName"/> only helps to guess the format.</summary>
    public static ContactsReadResult Read(TextReader reader, ContactsFormat format, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = reader.ReadToEnd();
        if (format == ContactsFormat.Auto)
        {
            format = DetectFormat(fileName, text);
        }

        return format switch
        {
            ContactsFormat.VCard => Collect(VCardEmails.Read(text), format),
            ContactsFormat.Csv => ReadCsv(text),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a contacts format."),
        };
    }

    /// <summary>Reads a file (UTF-8, or UTF-16 with a byte order mark, as "Unicode" exports have).</summary>
    public static async Task<ContactsReadResult> ReadFileAsync(string path, ContactsFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return Read(new StringReader(text), format, path);
    }

    /// <summary>vCard when the content starts like one or the name ends in .vcf/.vcard; CSV otherwise.</summary>
    public static ContactsFormat DetectFormat(string? fileName, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.AsSpan().TrimStart().StartsWith("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase))
        {
            return ContactsFormat.VCard;
        }

        var extension = Path.GetExtension(fileName ?? string.Empty);
        return extension.Equals(".vcf", StringComparison.OrdinalIgnoreCase) || extension.Equals(".vcard", StringComparison.OrdinalIgnoreCase)
            ? ContactsFormat.VCard
            : ContactsFormat.Csv;
    }

    private static ContactsReadResult ReadCsv(string text)
    {
        var records = CsvFields.Parse(text, CsvFields.DetectDelimiter(text));
        if (records.Count == 0)
        {
            return new ContactsReadResult([], 0, ContactsFormat.Csv, IsTrustListExport: false);
        }

        if (TrustListCsv.IsHeader(records[0]))
        {
            return ReadTrustList(records);
        }

        // Header names never contain an @; a first line that does is already data.
        var hasHeader = !records[0].Any(f => f.Contains('@'));
        if (!hasHeader)
        {
            var singleColumn = records.All(r => r.Count(f => f.Trim().Length > 0) <= 1);
            return Collect(records.SelectMany(r => r.Where(f => singleColumn || f.Contains('@'))), ContactsFormat.Csv);
        }

        var header = records[0];
        var data = records.Skip(1).ToList();
        var columns = Enumerable.Range(0, header.Count).Where(i => IsEmailHeader(header[i])).ToList();
        if (columns.Count == 0)
        {
            // Unknown or localised headers: take the columns that mostly hold something with an @.
            columns = Enumerable.Range(0, header.Count).Where(i => MostlyAddresses(data, i)).ToList();
        }

        return Collect(data.SelectMany(r => columns.Where(i => i < r.Count).Select(i => r[i])), ContactsFormat.Csv);
    }

    private static ContactsReadResult ReadTrustList(List<List<string>> records)
    {
        var entries = new List<ContactEntry>();
        var seen = new HashSet<(string?, string)>();
        var invalid = 0;
        foreach (var record in records.Skip(1))
        {
            if (!TrustListCsv.TryParse(record, out var entry))
            {
                invalid++;
            }
            else if (seen.Add((entry.Owner, entry.Pattern)))
            {
                entries.Add(entry);
            }
        }

        return new ContactsReadResult(entries, invalid, ContactsFormat.Csv, IsTrustListExport: true);
    }

    /// <summary>
    /// Google "E-mail 1 - Value", Outlook "E-mail Address" / "E-mail 2 Address", Thunderbird
    /// "Primary Email", plain "Email"; not the type, label or display-name columns beside them.
    /// </summary>
    private static bool IsEmailHeader(string header)
    {
        var compact = new string(header.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        if (!(compact.Contains("email", StringComparison.Ordinal) || compact.Contains("courriel", StringComparison.Ordinal) || compact.Contains("correo", StringComparison.Ordinal)))
        {
            return false;
        }

        string[] others = ["typ", "label", "display", "name", "anzeige"];
        return !others.Any(o => compact.Contains(o, StringComparison.Ordinal));
    }

    private static bool MostlyAddresses(List<List<string>> data, int column)
    {
        var values = data.Where(r => column < r.Count && r[column].Trim().Length > 0).Select(r => r[column]).ToList();
        return values.Count > 0 && values.Count(v => v.Contains('@')) * 2 > values.Count;
    }

    private static ContactsReadResult Collect(IEnumerable<string> values, ContactsFormat format)
    {
        var entries = new List<ContactEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = 0;
        foreach (var value in values.SelectMany(v => v.Split(GoogleSeparator)))
        {
            var candidate = value.Trim();
            if (candidate.Length == 0)
            {
                continue;
            }

            if (TryParseAddress(candidate, out var address))
            {
                if (seen.Add(address))
                {
                    entries.Add(new ContactEntry(address));
                }
            }
            else
            {
                invalid++;
            }
        }

        return new ContactsReadResult(entries, invalid, format, IsTrustListExport: false);
    }

    /// <summary>A bare address, "Name &lt;address&gt;" or a mailto: URI, in canonical form.</summary>
    private static bool TryParseAddress(string value, out string address)
    {
        address = string.Empty;
        if (value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["mailto:".Length..];
        }

        // MimeKit accepts a bare local part as a mailbox; TrustNames insists on a whole address.
        if (!MailboxAddress.TryParse(value, out var mailbox) || !TrustNames.TryNormaliseAddress(mailbox.Address, out var normalised, out _))
        {
            return false;
        }

        address = normalised;
        return true;
    }
}
