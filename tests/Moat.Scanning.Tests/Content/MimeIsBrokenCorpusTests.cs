using Moat.Scanning.Content;
using Moat.Scanning.Tests.Support;
using Moat.Testing;

namespace Moat.Scanning.Tests.Content;

/// <summary>
/// The mime-is-broken corpus: every message hides an attachment behind broken or ambiguous MIME.
/// The floors are what the walker reaches today: 366 of 372 (ClamAV 1.4 finds EICAR in 258). Of the
/// six it misses, four are BinHex messages whose payload the corpus generator wrote as "ARRAY(0x...)"
/// (there is no EICAR to find) and two are the base64 "badeq-tuple" encodings, which no decoder we
/// know reads back into the zip.
/// </summary>
public sealed class MimeIsBrokenCorpusTests
{
    [Fact]
    public async Task EicarIsReachableInAlmostEveryHideContentMessage()
    {
        var files = Directory.GetFiles(SharedData.Find("mime-is-broken/hide-content.d/new"));
        var found = 0;
        var missed = new List<string>();
        foreach (var file in files)
        {
            if (await ContainsEicarAsync(file))
            {
                found++;
            }
            else
            {
                missed.Add(PayloadId(file));
            }
        }

        Assert.Equal(372, files.Length);
        Assert.True(found >= 366, $"EICAR found in {found}/372; missed: {string.Join(", ", missed)}");
    }

    [Fact]
    public async Task TheRealFileNameIsSeenInEveryHideFilenameMessage()
    {
        var files = Directory.GetFiles(SharedData.Find("mime-is-broken/hide-filename.d/cur"));
        var found = 0;
        var missed = new List<string>();
        var walker = new ContentWalker(new ScanLimits());
        foreach (var file in files)
        {
            // The ".png" messages are the corpus's controls: their attachment really is named file.png.
            var id = PayloadId(file);
            var expected = id.EndsWith(".png", StringComparison.Ordinal) ? "file.png" : "file.zip";
            var seen = false;
            await foreach (var item in walker.WalkAsync(ScanRoots.FromMessage(file), new List<LimitViolation>(), CancellationToken.None))
            {
                seen |= item.FileName == expected;
            }

            if (seen)
            {
                found++;
            }
            else
            {
                missed.Add(id);
            }
        }

        Assert.Equal(176, files.Length);
        Assert.True(found >= 176, $"real name seen in {found}/176; missed: {string.Join(", ", missed)}");
    }

    private static async Task<bool> ContainsEicarAsync(string file)
    {
        var walker = new ContentWalker(new ScanLimits());
        await foreach (var item in walker.WalkAsync(ScanRoots.FromMessage(file), new List<LimitViolation>(), CancellationToken.None))
        {
            if ((await Walk.ReadAsync(item)).AsSpan().IndexOf(Walk.Eicar) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string PayloadId(string file) =>
        File.ReadLines(file).FirstOrDefault(l => l.StartsWith("X-Payload-Id:", StringComparison.OrdinalIgnoreCase))?.Split(' ')[1]
        ?? Path.GetFileName(file);
}
