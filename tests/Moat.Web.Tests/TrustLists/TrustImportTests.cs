using System.Text;
using Moat.Storage.Trust;
using Moat.Trust.Contacts;
using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

public sealed class TrustImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AVCardBecomesContactsOnTheFormsList()
    {
        const string vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEMAIL;TYPE=work:Bob@Example.net\r\nEMAIL:not-an-address\r\nEND:VCARD\r\n";

        var contacts = await ReadAsync(Encoding.UTF8.GetBytes(vcard), "bob.vcf", "auto");
        var entries = TrustImport.ToEntries(contacts, "alice@example.org", Now);

        Assert.Equal(ContactsFormat.VCard, contacts.Format);
        Assert.Equal(1, contacts.Invalid);
        Assert.Equal([new TrustEntry("alice@example.org", "bob@example.net", TrustSource.Contact, Now)], entries);
    }

    [Fact]
    public async Task AUtf16OutlookExportIsRead()
    {
        var csv = "First Name,E-mail Address\r\nCarol,carol@example.net\r\n";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(csv)).ToArray();

        var contacts = await ReadAsync(bytes, "contacts.csv", "auto");

        Assert.Equal(["carol@example.net"], contacts.Addresses);
    }

    [Fact]
    public async Task AnExportOfAnotherListStillLandsOnlyOnTheFormsList()
    {
        var export = TrustCsvExport.Write(
        [
            new TrustEntry("bob@example.org", "example.com", TrustSource.Learned, Now.AddDays(-3), Now.AddDays(3)),
            new TrustEntry("*", "example.com", TrustSource.Manual, Now.AddDays(-1)),
        ]);

        var contacts = await ReadAsync(Encoding.UTF8.GetBytes(export), "trust.csv", "csv");
        var entries = TrustImport.ToEntries(contacts, "alice@example.org", Now);

        // Sources and times survive the round trip; the owners in the file do not.
        Assert.Equal([new TrustEntry("alice@example.org", "example.com", TrustSource.Learned, Now.AddDays(-3), Now.AddDays(3))], entries);
    }

    [Theory]
    [InlineData("vcard", ContactsFormat.VCard)]
    [InlineData("CSV", ContactsFormat.Csv)]
    [InlineData("auto", ContactsFormat.Auto)]
    [InlineData(null, ContactsFormat.Auto)]
    [InlineData("exe", ContactsFormat.Auto)]
    public void TheFormatFieldIsReadLeniently(string? value, ContactsFormat format)
    {
        Assert.Equal(format, TrustImport.ParseFormat(value));
    }

    [Fact]
    public async Task AFileWithoutAddressesIsExplained()
    {
        var empty = await ReadAsync(Encoding.UTF8.GetBytes("Name,Phone\r\nBob,123\r\n"), "phones.csv", "auto");
        var invalid = await ReadAsync(Encoding.UTF8.GetBytes("bob@\r\n@example.org\r\n"), "list.txt", "csv");

        Assert.Contains("Found no e-mail addresses in the file (read as CSV)", TrustImport.NothingFound(empty), StringComparison.Ordinal);
        Assert.Equal("None of the 2 values in the file is a valid e-mail address, so nothing was imported.", TrustImport.NothingFound(invalid));
    }

    private static async Task<ContactsReadResult> ReadAsync(byte[] content, string fileName, string? format)
    {
        await using var stream = new MemoryStream(content);
        return await TrustImport.ReadAsync(stream, fileName, TrustImport.ParseFormat(format), CancellationToken.None);
    }
}
