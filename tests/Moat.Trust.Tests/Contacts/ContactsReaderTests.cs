using System.Text;
using Moat.Storage.Trust;
using Moat.Testing;
using Moat.Trust.Contacts;

namespace Moat.Trust.Tests.Contacts;

/// <summary>Address-book exports as Google, Outlook and phones write them.</summary>
public sealed class ContactsReaderTests
{
    // Google Contacts "Google CSV" (older layout with Type columns), shortened to the columns
    // that matter plus some around them; names with commas are quoted, several addresses share
    // one cell with " ::: ".
    private const string GoogleCsv = """
        Name,Given Name,Additional Name,Family Name,Yomi Name,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value
        Alice Example,Alice,,Example,,,* myContacts,* Home,alice@example.com ::: Alice.Work@Example.NET,,,Mobile,+49 170 0000000
        "Doe, John",John,,Doe,,"Met at the conference, ""very"" nice
        second line of notes",* myContacts,Work,john.doe@example.org,Home,john@doe.example,,
        No Mail Person,No,,Person,,,* myContacts,,,,,Mobile,+1 555 0100
        Broken Entry,,,,,,* myContacts,* Other,not-an-address ::: also broken@,,,,
        Dup,,,,,,* myContacts,* Home,ALICE@example.com,,,,
        """;

    // Google Contacts' newer layout: Label instead of Type.
    private const string GoogleCsvWithLabels = """
        First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value
        Bob,,Builder,* myContacts,Work,bob@builder.example,,
        Carla,,Stone,* myContacts,* Home,carla@stone.example ::: carla.stone@work.example,Other,c.s@third.example
        """;

    // Outlook "Comma Separated Values" export: every field quoted, the Type and Display Name
    // columns beside each address (Exchange contacts have "EX" and an X.500 path instead).
    private const string OutlookCsv = """"
        "First Name","Middle Name","Last Name","Title","Suffix","Initials","Web Page","Gender","Birthday","Anniversary","Location","Language","Internet Free Busy","Notes","E-mail Address","E-mail Type","E-mail Display Name","E-mail 2 Address","E-mail 2 Type","E-mail 2 Display Name","E-mail 3 Address","E-mail 3 Type","E-mail 3 Display Name","Business Phone"
        "Dana","","Scully","","","D.S.","","Unspecified","0/0/00","0/0/00","","","","","dana.scully@fbi.example","SMTP","Dana Scully (dana.scully@fbi.example)","dana@home.example","SMTP","Dana (dana@home.example)","","","","+1 202 555 0123"
        "Fox","","Mulder","","","F.M.","","Unspecified","0/0/00","0/0/00","","","","Notes, with commas","/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=fox","EX","Fox Mulder","","","","","","",""
        "Walter","","Skinner","","","","","Unspecified","0/0/00","0/0/00","","","","","""Walter Skinner"" <w.skinner@fbi.example>","SMTP","","","","","","","",""
        """";

    private const string VCards = """
        BEGIN:VCARD
        VERSION:2.1
        N:Example;Alice;;;
        FN:Alice Example
        EMAIL;INTERNET;PREF:alice@example.com
        EMAIL;HOME;ENCODING=QUOTED-PRINTABLE:alice=40home.examp=
        le
        TEL;CELL:+49 170 0000000
        END:VCARD
        BEGIN:VCARD
        VERSION:3.0
        N:Doe;John;;;
        FN:John Doe
        EMAIL;TYPE=INTERNET,WORK:john.doe@example.org
        item1.EMAIL;type=INTERNET;type=pref:John.Private@Doe.EXAMPLE
        item1.X-ABLabel:_$!<Other>!$_
        email;type=home:this.one.is.fo
         lded@example.net
        NOTE:EMAIL:not-a-property@example.com\, just a note
        END:VCARD
        begin:vcard
        version:4.0
        fn:Carla Stone
        EMAIL;PID=1.1;TYPE="work,voice";PREF=1:carla@stone.example
        EMAIL;VALUE=uri:mailto:carla.uri@stone.example
        EMAIL:not an address
        end:vcard
        """;

    [Fact]
    public void GoogleCsvGivesEveryAddressOfEveryCell()
    {
        var result = ContactsReader.Read(new StringReader(GoogleCsv), ContactsFormat.Auto);

        Assert.Equal(["alice@example.com", "alice.work@example.net", "john.doe@example.org", "john@doe.example"], result.Addresses);
        Assert.Equal(2, result.Invalid);
        Assert.Equal(ContactsFormat.Csv, result.Format);
        Assert.False(result.IsTrustListExport);
        Assert.All(result.Entries, e => Assert.Null(e.Source));
    }

    [Fact]
    public void GoogleCsvWithLabelColumns()
    {
        var addresses = ContactsReader.ReadAddresses(new StringReader(GoogleCsvWithLabels), ContactsFormat.Csv);

        Assert.Equal(["bob@builder.example", "carla@stone.example", "carla.stone@work.example", "c.s@third.example"], addresses);
    }

    [Fact]
    public void OutlookCsvSkipsTypeAndDisplayNameColumnsAndExchangePaths()
    {
        var result = ContactsReader.Read(new StringReader(OutlookCsv), ContactsFormat.Csv);

        Assert.Equal(["dana.scully@fbi.example", "dana@home.example", "w.skinner@fbi.example"], result.Addresses);
        Assert.Equal(1, result.Invalid);
    }

    [Fact]
    public void ASemicolonSeparatedSpreadsheetExport()
    {
        const string csv = "Name;Email;Phone\r\n\"Smith; Jo\";jo@smith.example;123\r\nAnn;ann@example.org;\r\n";

        Assert.Equal(["jo@smith.example", "ann@example.org"], ContactsReader.ReadAddresses(new StringReader(csv), ContactsFormat.Csv));
    }

    [Fact]
    public async Task AUnicodeTabSeparatedOutlookExport()
    {
        using var folder = new TempFolder("moat-contacts");
        var path = folder.Combine("contacts.txt");
        await File.WriteAllTextAsync(path, "First Name\tLast Name\tE-mail Address\r\nÉmile\tZola\temile@zola.example\r\n", Encoding.Unicode);

        var result = await ContactsReader.ReadFileAsync(path, ContactsFormat.Auto, default);

        Assert.Equal(["emile@zola.example"], result.Addresses);
    }

    [Fact]
    public void APlainListWithoutHeader()
    {
        const string list = "alice@example.com\nBob <bob@example.org>\n\n\"Doe, John\" <john@doe.example>\nnot-an-address\nmailto:carol@example.net\n";

        var result = ContactsReader.Read(new StringReader(list), ContactsFormat.Auto, "list.csv");

        Assert.Equal(["alice@example.com", "bob@example.org", "john@doe.example", "carol@example.net"], result.Addresses);
        Assert.Equal(1, result.Invalid);
    }

    [Fact]
    public void AHeaderlessTableTakesTheCellsWithAnAt()
    {
        const string csv = "Alice,alice@example.com,+1 555\nBob,bob@example.org,\n";

        Assert.Equal(["alice@example.com", "bob@example.org"], ContactsReader.ReadAddresses(new StringReader(csv), ContactsFormat.Csv));
    }

    [Fact]
    public void UnknownHeadersFallBackToTheColumnThatHoldsAddresses()
    {
        const string csv = "Nom,Adresse,Téléphone\nAlice,alice@example.com,1\nBob,bob@example.org,2\nEve,,3\n";

        Assert.Equal(["alice@example.com", "bob@example.org"], ContactsReader.ReadAddresses(new StringReader(csv), ContactsFormat.Csv));
    }

    [Fact]
    public void VCardsOfEveryVersion()
    {
        var result = ContactsReader.Read(new StringReader(VCards), ContactsFormat.Auto);

        Assert.Equal(ContactsFormat.VCard, result.Format);
        Assert.Equal(
            ["alice@example.com", "alice@home.example", "john.doe@example.org", "john.private@doe.example", "this.one.is.folded@example.net", "carla@stone.example", "carla.uri@stone.example"],
            result.Addresses);
        Assert.Equal(1, result.Invalid);
    }

    [Fact]
    public async Task VCardFilesWithWindowsLineEndingsAndAByteOrderMark()
    {
        using var folder = new TempFolder("moat-contacts");
        var path = folder.Combine("export.vcf");
        await File.WriteAllTextAsync(path, VCards.ReplaceLineEndings("\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = await ContactsReader.ReadFileAsync(path, ContactsFormat.Auto, default);

        Assert.Equal(ContactsFormat.VCard, result.Format);
        Assert.Equal(7, result.Addresses.Count);
    }

    [Theory]
    [InlineData("contacts.vcf", "", ContactsFormat.VCard)]
    [InlineData("contacts.VCARD", "", ContactsFormat.VCard)]
    [InlineData("contacts.csv", "Name,Email", ContactsFormat.Csv)]
    [InlineData("contacts.txt", "\r\n  BEGIN:VCARD\r\n", ContactsFormat.VCard)]
    [InlineData(null, "alice@example.com", ContactsFormat.Csv)]
    public void TheFormatIsDetectedFromContentAndName(string? fileName, string content, ContactsFormat expected)
    {
        Assert.Equal(expected, ContactsReader.DetectFormat(fileName, content));
    }

    [Fact]
    public void ATrustListExportImportsWithOwnersSourcesAndTimes()
    {
        var added = new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
        TrustEntry[] entries =
        [
            new("*", "partner.example", TrustSource.Manual, added),
            new("alice@example.org", "bob@example.com", TrustSource.Learned, added, added.AddDays(90)),
            new("alice@example.org", "carol@example.com", TrustSource.Challenge, added),
        ];
        var csv = new StringWriter();
        TrustListCsv.Write(csv, entries);

        var result = ContactsReader.Read(new StringReader(csv + "alice@example.org,not valid,manual,,\n*,x.example,bogus,,\n"), ContactsFormat.Auto);

        Assert.True(result.IsTrustListExport);
        Assert.StartsWith(TrustListCsv.Header + Environment.NewLine, csv.ToString());
        Assert.Equal(
            entries.Select(e => new ContactEntry(e.Pattern, e.Owner, e.Source, e.Added, e.Expires)),
            result.Entries);
        Assert.Equal(2, result.Invalid);
    }

    [Fact]
    public void AnEmptyFileHasNothing()
    {
        var result = ContactsReader.Read(new StringReader(""), ContactsFormat.Auto);

        Assert.Empty(result.Entries);
        Assert.Equal(0, result.Invalid);
    }
}
