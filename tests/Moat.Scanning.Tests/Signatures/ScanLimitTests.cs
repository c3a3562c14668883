using Moat.Scanning.Engines;
using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

/// <summary>Hostile content must cost bounded work and memory, and must never come out "clean" because a bound was hit.</summary>
public class ScanLimitTests
{
    [Fact]
    public void Nested_gaps_are_decided_without_exponential_backtracking()
    {
        // "aa" then 60,000 letters from b-e and no "zz": every b, c, d, e is a candidate for each
        // gap, which plain backtracking would try in every combination.
        var random = new Random(3);
        var content = new byte[60_002];
        content[0] = content[1] = (byte)'a';
        for (var i = 2; i < content.Length; i++)
        {
            content[i] = (byte)"bcde"[random.Next(4)];
        }

        var set = SignatureTestData.Ndb("Nested:0:*:6161*62*63*64*65*7a7a", "Found:0:*:6161*62*63*64*65");
        Assert.Equal(["Found"], SignatureTestData.ScanInChunks(set, content, 64 * 1024));
    }

    [Fact]
    public async Task Weak_anchor_hit_everywhere_gives_an_error_not_clean()
    {
        // The only fixed run is "00 00", so every position of an all-zero object is a hit whose
        // verification searches 64 KiB for 0x41 in vain.
        var set = SignatureTestData.Ndb("Weak:0:*:0000*41??42??43");
        Assert.Throws<SignatureScanLimitException>(() => set.Scan(new byte[512 * 1024]));

        var engine = new SignatureEngine(set);
        var item = new ScanObject("zeros.bin", ScanObjectKind.ArchiveEntry, _ => ValueTask.FromResult<Stream>(new MemoryStream(new byte[512 * 1024])));
        var verdict = await engine.ScanAsync(item, CancellationToken.None);
        Assert.Equal(EngineVerdictKind.Error, verdict.Kind);
        Assert.Contains("limit", verdict.Reason);
    }

    [Fact]
    public void A_match_found_before_the_limit_still_counts()
    {
        var set = SignatureLoader.LoadText("weak.ndb", "Weak:0:*:0000*41??42??43", includeBuiltIn: true);
        var content = new byte[512 * 1024];
        SignatureTestData.Ascii(SignatureTestData.Eicar).CopyTo(content, 0);
        Assert.Equal([BuiltInSignatures.EicarName], set.Scan(content));
    }

    [Fact]
    public void Memory_stays_bounded_by_the_window()
    {
        var set = SignatureTestData.Ndb("Star:0:*:6d61726b6572*6f746865722d656e64", "Short:0:*:61626364");
        using var scanner = new BodyScanner(set.Body);
        var chunk = new byte[4096];
        var random = new Random(11);
        var largest = 0;
        for (var i = 0; i < 1024; i++)
        {
            random.NextBytes(chunk);
            scanner.Feed(chunk);
            largest = Math.Max(largest, scanner.RetainedBytes);
        }

        scanner.Complete();
        Assert.InRange(largest, 1, set.Body.Window + (2 * 64 * 1024));
    }
}
