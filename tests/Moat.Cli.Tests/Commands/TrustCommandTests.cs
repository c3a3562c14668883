using Moat.Cli.Tests.Support;
using Moat.Testing;

namespace Moat.Cli.Tests.Commands;

/// <summary><c>moat trust</c> run as the real executable against a data folder of its own.</summary>
public sealed class TrustCommandTests : IDisposable
{
    private readonly TempFolder folder = new("moat-trust");

    private string DataDirectory => folder.Combine("data");

    [Fact]
    public async Task AddListAndRemoveAnEntry()
    {
        var add = await Trust("add", "Bob@Example.COM", "--user", "Alice@Example.org");
        var addDomain = await Trust("add", "partner.example.", "--organisation", "--expires", "30d");
        var list = await Trust("list");
        var aliceOnly = await Trust("list", "--user", "alice@example.org");
        var remove = await Trust("remove", "bob@example.com", "--user", "alice@example.org");
        var afterRemove = await Trust("list", "--user", "alice@example.org");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("Added bob@example.com to alice@example.org's list (manual, no expiry).", add.StandardOutput);
        Assert.True(addDomain.ExitCode == 0, addDomain.ToString());
        Assert.Contains("Added partner.example to the organisation's list (manual, until ", addDomain.StandardOutput);

        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("OWNER", lines[0]);
        Assert.Contains("EXPIRES (UTC)", lines[0]);
        Assert.Matches(@"^\*\s+partner\.example\s+manual\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d$", lines[1]);
        Assert.Matches(@"^alice@example\.org\s+bob@example\.com\s+manual\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$", lines[2]);
        Assert.Equal("2 entries.", lines[3]);
        Assert.DoesNotContain("partner.example", aliceOnly.StandardOutput);

        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Contains("Removed bob@example.com from alice@example.org's list.", remove.StandardOutput);
        Assert.Contains("No entries on alice@example.org's list.", afterRemove.StandardOutput);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "moat.db")));
    }

    [Fact]
    public async Task AddingAgainUpdatesTheEntry()
    {
        await Trust("add", "example.com", "--organisation");

        var again = await Trust("add", "EXAMPLE.com", "--organisation", "--expires", "2099-12-31");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Updated example.com on the organisation's list (manual, until 2100-01-01 00:00 UTC).", again.StandardOutput);
    }

    [Fact]
    public async Task RemovingWhatIsNotThereFailsWithAHint()
    {
        var result = await Trust("remove", "nobody@example.com", "--organisation");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("There is no entry nobody@example.com on the organisation's list", result.StandardError);
        Assert.Contains("moat trust list --organisation", result.StandardError);
    }

    [Fact]
    public async Task TheOwnerMustBeSaidOnceAndBeAnAddress()
    {
        var neither = await Trust("add", "example.com");
        var both = await Trust("add", "example.com", "--user", "alice@example.org", "--organisation");
        var badUser = await Trust("add", "example.com", "--user", "alice");

        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--user alice@example.org for one user's list, or --organisation", neither.StandardError);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.StandardError);
        Assert.Equal(2, badUser.ExitCode);
        Assert.Contains("'alice' is not one", badUser.StandardError);
    }

    [Fact]
    public async Task BadPatternsAndExpiriesSayWhatToGive()
    {
        var pattern = await Trust("add", "bob smith@example.com", "--organisation");
        var tld = await Trust("add", "com", "--organisation");
        var expires = await Trust("add", "example.com", "--organisation", "--expires", "soon");
        var past = await Trust("add", "example.com", "--organisation", "--expires", "2001-01-01");

        Assert.Equal(2, pattern.ExitCode);
        Assert.Contains("Give an address (bob@example.com) or a domain", pattern.StandardError);
        Assert.Equal(2, tld.ExitCode);
        Assert.Contains("top-level domain", tld.StandardError);
        Assert.Equal(2, expires.ExitCode);
        Assert.Contains("30d", expires.StandardError);
        Assert.Equal(2, past.ExitCode);
        Assert.Contains("already past", past.StandardError);
        Assert.Contains("No entries on any list", (await Trust("list")).StandardOutput);
    }

    [Fact]
    public async Task ImportContactsCountsTheInvalidOnes()
    {
        var csv = folder.Combine("google.csv");
        await File.WriteAllTextAsync(csv, """
            Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value
            "Doe, John",John,Doe,* myContacts,* Home,john@doe.example ::: j.doe@work.example,,
            Ann,Ann,,* myContacts,* Work,ann@example.org,Other,broken@
            """);
        var vcf = folder.Combine("phone.vcf");
        await File.WriteAllTextAsync(vcf, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol\r\nEMAIL;TYPE=INTERNET:carol@example.net\r\nEND:VCARD\r\n");

        var fromCsv = await Trust("import", csv, "--user", "alice@example.org");
        var fromVcf = await Trust("import", vcf, "--organisation", "--format", "vcard");
        var list = await Trust("list");

        Assert.True(fromCsv.ExitCode == 0, fromCsv.ToString());
        Assert.Contains("imported 3, skipped 1 invalid", fromCsv.StandardOutput);
        Assert.True(fromVcf.ExitCode == 0, fromVcf.ToString());
        Assert.Contains("imported 1, skipped 0 invalid", fromVcf.StandardOutput);
        Assert.Matches(@"alice@example\.org\s+j\.doe@work\.example\s+contact", list.StandardOutput);
        Assert.Matches(@"\*\s+carol@example\.net\s+contact", list.StandardOutput);
        Assert.Contains("4 entries.", list.StandardOutput);
    }

    [Fact]
    public async Task ImportProblemsAreExplained()
    {
        var csv = folder.Combine("contacts.csv");
        await File.WriteAllTextAsync(csv, "email\nann@example.org\n");
        var empty = folder.Combine("empty.csv");
        await File.WriteAllTextAsync(empty, "Name,Phone\nAnn,123\n");

        var noOwner = await Trust("import", csv);
        var missing = await Trust("import", folder.Combine("nope.csv"), "--organisation");
        var nothing = await Trust("import", empty, "--organisation");
        var badFormat = await Trust("import", csv, "--organisation", "--format", "xml");

        Assert.Equal(2, noOwner.ExitCode);
        Assert.Contains("Say whose list the contacts go on", noOwner.StandardError);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardError);
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("Found no e-mail addresses", nothing.StandardError);
        Assert.NotEqual(0, badFormat.ExitCode);
        Assert.Contains("xml", badFormat.StandardError);
    }

    [Fact]
    public async Task ExportAndImportRoundTripKeepsOwnersSourcesAndTimes()
    {
        await Trust("add", "partner.example", "--organisation", "--expires", "2099-01-31");
        await Trust("add", "bob@example.com", "--user", "alice@example.org");
        var contacts = folder.Combine("contacts.csv");
        await File.WriteAllTextAsync(contacts, "carol@example.net\n");
        await Trust("import", contacts, "--user", "dave@example.org");
        var exportFile = folder.Combine("backup.csv");

        var toStdout = await Trust("export");
        var aliceOnly = await Trust("export", "--user", "alice@example.org");
        var toFile = await Trust("export", "--output", exportFile);

        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        var lines = toStdout.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("owner,pattern,source,added,expires", lines[0]);
        Assert.Matches(@"^\*,partner\.example,manual,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,2099-02-01T00:00:00\.000Z$", lines[1]);
        Assert.Matches(@"^alice@example\.org,bob@example\.com,manual,[^,]+Z,$", lines[2]);
        Assert.Matches(@"^dave@example\.org,carol@example\.net,contact,[^,]+Z,$", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(2, aliceOnly.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Exported 3 entries to", toFile.StandardOutput);
        Assert.Equal(toStdout.StandardOutput, await File.ReadAllTextAsync(exportFile));

        // Into an empty data folder: the same lists come back, sources and times included.
        var restored = await TrustIn(folder.Combine("restored"), "import", exportFile);
        var again = await TrustIn(folder.Combine("restored"), "export");

        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Contains("imported 3, skipped 0 invalid", restored.StandardOutput);
        Assert.Equal(toStdout.StandardOutput, again.StandardOutput);
    }

    [Fact]
    public async Task ADamagedDatabaseIsNamedInTheError()
    {
        Directory.CreateDirectory(DataDirectory);
        var database = Path.Combine(DataDirectory, "moat.db");
        await File.WriteAllTextAsync(database, "not a database " + new string('x', 4096));

        var result = await Trust("list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(database, result.StandardError);
        Assert.Contains("not a SQLite database or is damaged", result.StandardError);
    }

    public void Dispose() => folder.Dispose();

    private Task<CommandResult> Trust(params string[] arguments) => TrustIn(DataDirectory, arguments);

    private static Task<CommandResult> TrustIn(string dataDirectory, params string[] arguments) =>
        MoatProcess.RunAsync(["trust", .. arguments, "--data", dataDirectory]);
}
