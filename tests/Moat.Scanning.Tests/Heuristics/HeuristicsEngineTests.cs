using System.Text;
using Moat.Scanning.Heuristics;
using Moat.Scanning.Tests.Support;

namespace Moat.Scanning.Tests.Heuristics;

public sealed class HeuristicsEngineTests
{
    private static ScanObject Item(string? name, byte[] content, string? declared = null, bool encrypted = false) =>
        new($"message.eml › {name ?? "part"}", ScanObjectKind.MimePart, _ => ValueTask.FromResult<Stream>(new MemoryStream(content, writable: false)))
        {
            FileName = name,
            DeclaredContentType = declared,
            IsEncrypted = encrypted,
            Length = content.Length,
        };

    private static async Task<IReadOnlyList<string>> ThreatsAsync(ScanObject item, HeuristicsOptions? options = null)
    {
        var verdict = await new HeuristicsEngine(options).ScanAsync(item, CancellationToken.None);
        Assert.NotEqual(EngineVerdictKind.Error, verdict.Kind);
        return verdict.Threats;
    }

    [Fact]
    public void IsNamedHeuristicsAndAcceptsEverything()
    {
        var engine = new HeuristicsEngine();

        Assert.Equal("heuristics", engine.Name);
        Assert.True(engine.Accepts(Item("a.txt", [])));
    }

    [Fact]
    public async Task PlainTextIsClean()
    {
        var verdict = await new HeuristicsEngine().ScanAsync(Item("notes.txt", "hello"u8.ToArray(), "text/plain"), CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Clean, verdict.Kind);
    }

    [Theory]
    [InlineData("tool.exe", "Heuristics.Executable.PE")]
    [InlineData(null, "Heuristics.Executable.PE")]
    public async Task PeContentIsAnExecutableWhateverItsName(string? name, string threat)
    {
        Assert.Contains(threat, await ThreatsAsync(Item(name, Executables.MinimalPe())));
    }

    [Fact]
    public async Task ElfAndMachOAreExecutables()
    {
        Assert.Contains(HeuristicThreats.ExecutableElf, await ThreatsAsync(Item("run", Executables.MinimalElf())));
        Assert.Contains(HeuristicThreats.ExecutableMachO, await ThreatsAsync(Item("app", [0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1, 0, 0, 0, 0])));
    }

    [Fact]
    public async Task APeNamedAndDeclaredAsPdfIsATypeMismatch()
    {
        var threats = await ThreatsAsync(Item("invoice.pdf", Executables.MinimalPe(), "application/pdf"));

        Assert.Contains(HeuristicThreats.TypeMismatch, threats);
        Assert.Contains(HeuristicThreats.ExecutablePe, threats);
    }

    [Fact]
    public async Task APeNamedExeIsNoMismatch()
    {
        Assert.DoesNotContain(HeuristicThreats.TypeMismatch, await ThreatsAsync(Item("setup.exe", Executables.MinimalPe(), "application/x-msdownload")));
    }

    [Theory]
    [InlineData("run.js", "Heuristics.BlockedType.js")]
    [InlineData("RUN.VBS", "Heuristics.BlockedType.vbs")]
    [InlineData("x.hta", "Heuristics.BlockedType.hta")]
    [InlineData("disk.iso", "Heuristics.BlockedType.iso")]
    [InlineData("link.lnk", "Heuristics.BlockedType.lnk")]
    [InlineData("script.ps1. . ", "Heuristics.BlockedType.ps1")]
    public async Task BlockedExtensionsAreFlagged(string name, string threat)
    {
        Assert.Contains(threat, await ThreatsAsync(Item(name, "x"u8.ToArray())));
    }

    [Fact]
    public async Task TheBlockedListIsConfigurable()
    {
        var options = new HeuristicsOptions { BlockedExtensions = ["xyz"] };

        Assert.Contains("Heuristics.BlockedType.xyz", await ThreatsAsync(Item("a.xyz", "x"u8.ToArray()), options));
        Assert.Empty(await ThreatsAsync(Item("a.js", "x"u8.ToArray()), options));
    }

    [Theory]
    [InlineData("invoice.pdf.exe")]
    [InlineData("invoice.pdf                       .exe")]
    [InlineData("photo.jpg.js")]
    [InlineData("invoice\u202Efdp.exe")]
    public async Task DeceptiveNamesAreDoubleExtensions(string name)
    {
        Assert.Contains(HeuristicThreats.DoubleExtension, await ThreatsAsync(Item(name, "x"u8.ToArray())));
    }

    [Theory]
    [InlineData("report.2024.pdf")]
    [InlineData("archive.tar.gz")]
    public async Task OrdinaryDottedNamesAreNot(string name)
    {
        Assert.DoesNotContain(HeuristicThreats.DoubleExtension, await ThreatsAsync(Item(name, "x"u8.ToArray())));
    }

    [Fact]
    public async Task AnOleFileWithAVbaStorageHasMacros()
    {
        var doc = Executables.OleFile(("Root Entry", 5), ("WordDocument", 2), ("Macros", 1), ("VBA", 1));

        Assert.Contains(HeuristicThreats.MacroOle, await ThreatsAsync(Item("letter.doc", doc)));
    }

    [Fact]
    public async Task AnOleFileWithoutVbaHasNone()
    {
        var doc = Executables.OleFile(("Root Entry", 5), ("WordDocument", 2), ("1Table", 2));

        Assert.Empty(await ThreatsAsync(Item("letter.doc", doc)));
    }

    [Fact]
    public async Task AnOoxmlZipWithAVbaProjectHasMacros()
    {
        var docm = Archives.Zip(("[Content_Types].xml", "<Types/>"u8.ToArray()), ("word/vbaProject.bin", Executables.OleFile(("Root Entry", 5), ("VBA", 1))));

        Assert.Contains(HeuristicThreats.MacroOoxml, await ThreatsAsync(Item("report.docm", docm)));
        Assert.Contains(HeuristicThreats.MacroOoxml, await ThreatsAsync(Item("word/vbaProject.bin", Executables.OleFile(("Root Entry", 5), ("VBA", 1)))));
    }

    [Fact]
    public async Task EncryptedArchiveMembersAreFlagged()
    {
        Assert.Contains(HeuristicThreats.EncryptedArchive, await ThreatsAsync(Item("secret.txt", [], encrypted: true)));
    }

    [Fact]
    public async Task HtmlThatDecodesABlobAndSavesItIsSmuggling()
    {
        var payload = Convert.ToBase64String(new byte[4000]);
        var html = $"<html><body><script>var d = atob('{payload}'); var b = new Blob([d], {{type: 'application/zip'}});" +
                   "var a = document.createElement('a'); a.href = URL.createObjectURL(b); a.download = 'invoice.zip'; a.click();</script></body></html>";

        Assert.Contains(HeuristicThreats.HtmlSmuggling, await ThreatsAsync(Item("invoice.html", Encoding.ASCII.GetBytes(html), "text/html")));
    }

    [Fact]
    public async Task SvgWithMsSaveOrOpenBlobAndALargeBlobIsSmuggling()
    {
        var payload = Convert.ToBase64String(new byte[4000]);
        var svg = $"<svg xmlns='http://www.w3.org/2000/svg'><script>var s = '{payload}'; var b = new Blob([s]); navigator.msSaveOrOpenBlob(b, 'x.zip');</script></svg>";

        Assert.Contains(HeuristicThreats.HtmlSmuggling, await ThreatsAsync(Item("image.svg", Encoding.ASCII.GetBytes(svg))));
    }

    [Fact]
    public async Task ADownloadLinkToALargeDataUriIsSmuggling()
    {
        var html = $"<html><a download=\"a.zip\" href=\"data:application/zip;base64,{Convert.ToBase64String(new byte[4000])}\">x</a></html>";

        Assert.Contains(HeuristicThreats.HtmlSmuggling, await ThreatsAsync(Item(null, Encoding.ASCII.GetBytes(html))));
    }

    [Fact]
    public async Task OrdinaryHtmlIsNotSmuggling()
    {
        var html = "<html><body><p>Hello</p><img src=\"data:image/png;base64,iVBORw0KGgo=\"><script>console.log(1)</script></body></html>";

        Assert.Empty(await ThreatsAsync(Item("mail.html", Encoding.ASCII.GetBytes(html), "text/html")));
    }

    [Fact]
    public async Task EveryRuleCanBeSwitchedOff()
    {
        var off = new HeuristicsOptions
        {
            DetectExecutables = false,
            DetectBlockedTypes = false,
            DetectDoubleExtensions = false,
            DetectTypeMismatch = false,
            DetectOfficeMacros = false,
            DetectEncryptedArchives = false,
            DetectHtmlSmuggling = false,
        };

        Assert.Empty(await ThreatsAsync(Item("invoice.pdf.exe", Executables.MinimalPe(), "application/pdf"), off));
        Assert.Empty(await ThreatsAsync(Item("x.doc", Executables.OleFile(("Root Entry", 5), ("VBA", 1))), off));
        Assert.Empty(await ThreatsAsync(Item("s.txt", [], encrypted: true), off));
    }

    [Fact]
    public async Task UnreadableContentIsAnErrorNotClean()
    {
        var broken = new ScanObject("x", ScanObjectKind.MimePart, _ => throw new IOException("disk gone")) { FileName = "a.txt" };

        var verdict = await new HeuristicsEngine().ScanAsync(broken, CancellationToken.None);

        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
    }

    [Fact]
    public async Task WalkedEncryptedZipMembersAreFlaggedEndToEnd()
    {
        var walked = await Walk.BytesAsync("secret.zip", Archives.EncryptedZip("payload.exe", Walk.Eicar));
        var engine = new HeuristicsEngine();
        var threats = new List<string>();
        foreach (var item in walked.Objects)
        {
            threats.AddRange((await engine.ScanAsync(item.Item, CancellationToken.None)).Threats);
        }

        Assert.Contains(HeuristicThreats.EncryptedArchive, threats);
        Assert.Contains("Heuristics.BlockedType.exe", threats);
    }
}
