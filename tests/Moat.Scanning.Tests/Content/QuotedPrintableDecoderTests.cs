using System.Text;
using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Content;

public sealed class QuotedPrintableDecoderTests
{
    private static string Decode(QuotedPrintableReading reading, params string[] lines)
    {
        var decoder = new QuotedPrintableDecoder(reading);
        var output = new List<byte>();
        foreach (var line in lines)
        {
            decoder.Decode(line, output);
        }

        decoder.Finish(output);
        return Encoding.Latin1.GetString(output.ToArray());
    }

    private static QuotedPrintableReading Lenient => QuotedPrintableReading.All[0];

    [Fact]
    public void SoftBreaksJoinAndHardBreaksAreCrLfExceptTheLast()
    {
        Assert.Equal("abc=d\r\nnext", Decode(Lenient, "a=62c=3D=", "d", "next", ""));
    }

    [Fact]
    public void WhiteSpaceAfterTheSoftBreakAndLowerCaseHexAreTolerated()
    {
        Assert.Equal("AB\u00e9", Decode(Lenient, "=41= ", "=42=\t", "=e9"));
    }

    [Fact]
    public void BrokenEscapesAreReadEveryWay()
    {
        Assert.Equal("PK", Decode(QuotedPrintableReading.All.First(r => r.DropBrokenEscape && r.DroppedAfterEquals == 2), "=XX=50=", "=XX=4B"));
        Assert.Equal("PK\u0003", Decode(QuotedPrintableReading.All.First(r => r.DroppedAfterEquals == 1), "=0P=0K=0=03=0"));
        Assert.Equal("PK\u0003", Decode(QuotedPrintableReading.All.First(r => r.DroppedAfterEquals == 1), "PK==a03"));
        Assert.Equal("=X", Decode(QuotedPrintableReading.All.First(r => r.KeepBrokenEquals), "=X"));
    }

    [Fact]
    public void ABareLineFeedReadingKeepsBinaryLineFeeds()
    {
        Assert.Equal("a\nb", Decode(QuotedPrintableReading.All.First(r => r.BareLineFeeds && !r.DropBrokenEscape), "a", "b"));
    }
}
