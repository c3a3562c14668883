using Moat.Storage.Trust;
using Moat.Trust.Contacts;
using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

public sealed class TrustCsvExportTests
{
    private static readonly DateTimeOffset Added = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("=1+2@example.org", "'=1+2@example.org")]
    [InlineData("+31-20@example.org", "'+31-20@example.org")]
    [InlineData("-cmd@example.org", "'-cmd@example.org")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("=HYPERLINK(\"http://x.test\",\"a\")", "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"a\"\")\"")]
    public void CellsASpreadsheetWouldRunAsAFormulaAreDefused(string value, string cell)
    {
        Assert.Equal(cell, TrustListCsv.Cell(value));
    }

    [Theory]
    [InlineData("bob@example.org", "bob@example.org")]
    [InlineData("a=b@example.org", "a=b@example.org")]
    [InlineData("*", "*")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void OrdinaryCellsStayAsTheyAreAndDelimitersAreQuoted(string value, string cell)
    {
        Assert.Equal(cell, TrustListCsv.Cell(value));
    }

    [Fact]
    public void TheFileHasTheHeaderAndLayoutOfMoatTrustExport()
    {
        var csv = TrustCsvExport.Write(
        [
            new TrustEntry("alice@example.org", "example.com", TrustSource.Manual, Added),
            new TrustEntry("alice@example.org", "bob@example.net", TrustSource.Learned, Added, Added.AddDays(30)),
        ]);

        Assert.Equal(
            "owner,pattern,source,added,expires\r\n"
            + "alice@example.org,example.com,manual,2026-03-01T12:00:00.000Z,\r\n"
            + "alice@example.org,bob@example.net,learned,2026-03-01T12:00:00.000Z,2026-03-31T12:00:00.000Z\r\n",
            csv);
    }

    [Fact]
    public void AnExportImportsBackWithItsSourcesAndTimes()
    {
        TrustEntry[] entries =
        [
            new("*", "example.com", TrustSource.Manual, Added),
            new("*", "carol@example.net", TrustSource.Challenge, Added, Added.AddDays(14)),
        ];

        var read = ContactsReader.Read(new StringReader(TrustCsvExport.Write(entries)), ContactsFormat.Auto, "trust-organisation.csv");

        Assert.True(read.IsTrustListExport);
        Assert.Equal(0, read.Invalid);
        Assert.Equal(
            entries.Select(e => (e.Owner, e.Pattern, (TrustSource?)e.Source, (DateTimeOffset?)e.Added, e.Expires)),
            read.Entries.Select(e => (e.Owner!, e.Pattern, e.Source, e.Added, e.Expires)));
    }

    [Fact]
    public void AGuardedPatternImportsBackAsItWas()
    {
        TrustEntry[] entries = [new("*", "=1+2@example.org", TrustSource.Manual, Added)];

        var read = ContactsReader.Read(new StringReader(TrustCsvExport.Write(entries)), ContactsFormat.Auto, "trust-organisation.csv");

        Assert.Equal("=1+2@example.org", Assert.Single(read.Entries).Pattern);
    }

    [Fact]
    public void TheDownloadIsNamedAfterItsList()
    {
        Assert.Equal("trust-organisation.csv", TrustCsvExport.FileName("*"));
        Assert.Equal("trust-alice@example.org.csv", TrustCsvExport.FileName("alice@example.org"));
    }
}
