using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

/// <summary>Every pattern feature, matched through the whole streaming path in 1-, 7- and 64 KiB-byte chunks.</summary>
public class BodyMatchingTests
{
    private static IReadOnlyList<string> Scan(string ndbLine, string content) =>
        SignatureTestData.ScanAllWays(SignatureTestData.Ndb(ndbLine), SignatureTestData.Ascii(content));

    [Theory]
    [InlineData("T:0:*:68656c6c6f", "say hello there", true)]
    [InlineData("T:0:*:68656c6c6f", "say hellO there", false)]
    [InlineData("T:0:*:6865??6c6f", "say he#lo there", true)]
    [InlineData("T:0:*:68656c6c6?", "say hellm there", true)]
    [InlineData("T:0:*:68656c6c6?", "say hell} there", false)]
    [InlineData("T:0:*:68656c6c?f", "say hell_ there", true)]
    [InlineData("T:0:*:68656c6c?f", "say hello there", true)]
    [InlineData("T:0:*:68656c6c?f", "say hellp there", false)]
    [InlineData("T:0:*:68656c6c6f*7468657265", "hello, are you there?", true)]
    [InlineData("T:0:*:68656c6c6f*7468657265", "there, hello", false)]
    [InlineData("T:0:*:68656c6c6f{2}7468657265", "hello, there", true)]
    [InlineData("T:0:*:68656c6c6f{2}7468657265", "hello,  there", false)]
    [InlineData("T:0:*:68656c6c6f{2-}7468657265", "hello, . . . there", true)]
    [InlineData("T:0:*:68656c6c6f{2-}7468657265", "hello there", false)]
    [InlineData("T:0:*:68656c6c6f{-2}7468657265", "hellothere", true)]
    [InlineData("T:0:*:68656c6c6f{-2}7468657265", "hello   there", false)]
    [InlineData("T:0:*:68656c6c6f{1-3}7468657265", "hello  there", true)]
    [InlineData("T:0:*:68656c6c6f{1-3}7468657265", "hello    there", false)]
    [InlineData("T:0:*:68656c6c6f20(77|74)6f726c64", "hello world", true)]
    [InlineData("T:0:*:68656c6c6f20(77|74)6f726c64", "hello torld", true)]
    [InlineData("T:0:*:68656c6c6f20(77|74)6f726c64", "hello sorld", false)]
    [InlineData("T:0:*:68656c6c6f20(776f|7468652077)726c64", "hello the wrld", true)]
    [InlineData("T:0:*:68656c6c6f20(776f|7468652077)726c64", "hello the orld", false)]
    [InlineData("T:0:4:68656c6c6f", "say hello", true)]
    [InlineData("T:0:3:68656c6c6f", "say hello", false)]
    [InlineData("T:0:2,3:68656c6c6f", "say hello", true)]
    [InlineData("T:0:EOF-5:68656c6c6f", "say hello", true)]
    [InlineData("T:0:EOF-6:68656c6c6f", "say hello", false)]
    [InlineData("T:0:EOF-9,4:68656c6c6f", "say hello", true)]
    public void Pattern_features(string ndbLine, string content, bool matches)
    {
        Assert.Equal(matches, Scan(ndbLine, content).Count == 1);
    }

    [Fact]
    public void Typed_signatures_only_match_their_file_type()
    {
        var set = SignatureTestData.Ndb("Pe:1:*:6d61726b6572", "Pdf:10:*:6d61726b6572", "Elf:6:*:6d61726b6572", "Any:0:*:6d61726b6572");
        Assert.Equal(["Any", "Pe"], SignatureTestData.ScanAllWays(set, SignatureTestData.Ascii("MZ.. marker ..")));
        Assert.Equal(["Any", "Pdf"], SignatureTestData.ScanAllWays(set, SignatureTestData.Ascii("junk%PDF-1.4 marker")));
        Assert.Equal(["Any", "Elf"], SignatureTestData.ScanAllWays(set, SignatureTestData.Ascii("\u007fELF marker")));
        Assert.Equal(["Any"], SignatureTestData.ScanAllWays(set, SignatureTestData.Ascii("plain marker")));
    }

    [Fact]
    public void Type_is_known_even_when_the_match_comes_before_the_first_kilobyte_is_complete()
    {
        var set = SignatureTestData.Ndb("Pe:1:*:6d61726b6572");
        var content = new byte[5000];
        "MZ"u8.CopyTo(content);
        "marker"u8.CopyTo(content.AsSpan(10));
        Assert.Equal(["Pe"], SignatureTestData.ScanAllWays(set, content));
    }

    [Fact]
    public void Anchors_and_gaps_across_chunk_borders_and_window_trims()
    {
        // A 300 KiB object with the two halves of a "*" pattern 40 KiB apart, straddling 64 KiB
        // chunk borders, and an EOF-anchored pattern at the very end.
        var random = new Random(7);
        var content = new byte[300 * 1024];
        random.NextBytes(content);
        "first-half"u8.CopyTo(content.AsSpan(65536 - 4));
        "second-half"u8.CopyTo(content.AsSpan(65536 + 40 * 1024));
        "the-end"u8.CopyTo(content.AsSpan(content.Length - 7));
        var set = SignatureTestData.Ndb(
            "Star:0:*:66697273742d68616c66*7365636f6e642d68616c66",
            "End:0:EOF-7:7468652d656e64",
            "TooFar:0:*:66697273742d68616c66{-100}7365636f6e642d68616c66");
        Assert.Equal(["End", "Star"], SignatureTestData.ScanAllWays(set, content));
    }

    [Fact]
    public void Absolute_offset_far_into_the_object()
    {
        var content = new byte[200_000];
        "deep-marker"u8.CopyTo(content.AsSpan(150_000));
        var set = SignatureTestData.Ndb("Deep:0:150000:646565702d6d61726b6572", "Wrong:0:150001:646565702d6d61726b6572");
        Assert.Equal(["Deep"], SignatureTestData.ScanAllWays(set, content));
    }

    [Fact]
    public void Many_signatures_sharing_anchors_each_report_once()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"S{i}:0:*:6d616c77617265{i % 256:x2}").ToArray();
        var set = SignatureTestData.Ndb(lines);
        var content = SignatureTestData.Ascii("..malware\u0005..malware\u0005..malware\u00c7..");
        Assert.Equal(["S199", "S5"], SignatureTestData.ScanAllWays(set, content));
    }
}
