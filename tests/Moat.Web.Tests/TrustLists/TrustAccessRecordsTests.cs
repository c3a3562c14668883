using Moat.Storage.AccessLog;
using Moat.Storage.Trust;
using Moat.Web.TrustLists;

namespace Moat.Web.Tests.TrustLists;

public sealed class TrustAccessRecordsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnAdditionNamesTheListItsOwnerAndTheSource()
    {
        var record = TrustAccessRecords.Added("root@example.org", new TrustEntry("alice@example.org", "example.org", TrustSource.Manual, Now), replaced: false);

        Assert.Equal(new AccessLogRecord("root@example.org", AccessActions.TrustChange), record with { DataSubjects = null, Detail = null });
        Assert.Equal(["alice@example.org"], record.DataSubjects);
        Assert.Equal("added example.org to alice@example.org's list (manual)", record.Detail);
    }

    [Fact]
    public void AnUpdateWithExpirySaysUntilWhen()
    {
        var record = TrustAccessRecords.Added("alice@example.org", new TrustEntry("alice@example.org", "bob@example.net", TrustSource.Manual, Now, Now.AddDays(7)), replaced: true);

        Assert.Equal("updated bob@example.net on alice@example.org's list (manual, until 2026-03-08T12:00:00.000Z)", record.Detail);
    }

    [Fact]
    public void TheOrganisationsListHasNoDataSubject()
    {
        var record = TrustAccessRecords.Removed("root@example.org", "*", "example.org");

        Assert.Equal(AccessActions.TrustChange, record.Action);
        Assert.Empty(record.DataSubjects!);
        Assert.Equal("removed example.org from the organisation's list", record.Detail);
    }

    [Fact]
    public void AnImportSaysHowManyAndFromWhichFile()
    {
        var record = TrustAccessRecords.Imported("alice@example.org", "alice@example.org", 12, 1, "C:\\Users\\alice\\contacts.vcf");

        Assert.Equal(AccessActions.TrustChange, record.Action);
        Assert.Equal("imported 12 entries (1 invalid skipped) from contacts.vcf to alice@example.org's list", record.Detail);
    }

    [Fact]
    public void AnExportIsAnExport()
    {
        var record = TrustAccessRecords.Exported("root@example.org", "alice@example.org", 1);

        Assert.Equal(AccessActions.Export, record.Action);
        Assert.Equal(["alice@example.org"], record.DataSubjects);
        Assert.Equal("downloaded alice@example.org's list as CSV (1 entry)", record.Detail);
    }

    [Theory]
    [InlineData(null, "an unnamed file")]
    [InlineData("", "an unnamed file")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("con\u0000tacts\r\n.csv", "contacts.csv")]
    [InlineData("bad\ud800.csv", "bad.csv")]
    public void AnUploadedFileNameIsCleanedBeforeItIsLogged(string? fileName, string logged)
    {
        Assert.Equal(logged, TrustAccessRecords.SafeFileName(fileName));
    }

    [Fact]
    public void AnUploadedFileNameIsCutShortWithoutSplittingACharacter()
    {
        var name = new string('a', TrustAccessRecords.MaxFileNameLength - 1) + "😀.csv";

        var logged = TrustAccessRecords.SafeFileName(name);

        Assert.Equal(new string('a', TrustAccessRecords.MaxFileNameLength - 1), logged);
    }
}
