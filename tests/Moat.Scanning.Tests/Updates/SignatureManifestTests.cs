using Moat.Scanning.Updates;

namespace Moat.Scanning.Tests.Updates;

public class SignatureManifestTests
{
    private const string Hash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    [Fact]
    public void Parses_sha256sum_text_and_binary_lines()
    {
        var entries = SignatureManifest.Parse($"{Hash}  main.hdb\r\n{Hash} *daily.ndb\n\n# comment\n");
        Assert.Equal([new SignatureManifestEntry(Hash.ToLowerInvariant(), "main.hdb"), new SignatureManifestEntry(Hash.ToLowerInvariant(), "daily.ndb")], entries);
    }

    [Theory]
    [InlineData(Hash + "  main.hdb\n" + Hash + "  MAIN.hdb", "listed twice")]
    [InlineData(Hash + "  ../main.hdb", "not a plain")]
    [InlineData(Hash + "  .hidden.hdb", "not a plain")]
    [InlineData(Hash + "  main.cvd", "not a plain")]
    [InlineData("abc  main.hdb", "expected")]
    [InlineData("# only a comment", "lists no database files")]
    public void Rejects_bad_manifests(string text, string problem)
    {
        var ex = Assert.Throws<FormatException>(() => SignatureManifest.Parse(text));
        Assert.Contains(problem, ex.Message);
    }
}
