using System.Text;
using Moat.Scanning.Content;
using Moat.Scanning.Tests.Support;
using SharpCompress.Common;
using SharpCompress.Writers;
using SharpCompress.Writers.SevenZip;

namespace Moat.Scanning.Tests.Content;

public sealed class ContentWalkerArchiveTests
{
    private static readonly byte[] EicarZip = Archives.Zip(("eicar.com", Walk.Eicar));

    [Fact]
    public async Task ZipMembersAreYielded()
    {
        var zip = Archives.Zip(("a.txt", "alpha"u8.ToArray()), ("dir/b.txt", "beta"u8.ToArray()));

        var result = await Walk.BytesAsync("x.zip", zip);

        Assert.Equal("alpha", Assert.Single(result.Named("a.txt")).Text);
        var b = Assert.Single(result.Named("dir/b.txt"));
        Assert.Equal(ScanObjectKind.ArchiveEntry, b.Item.Kind);
        Assert.Equal(1, b.Item.Depth);
        Assert.Empty(result.Violations);
    }

    [Fact]
    public async Task ArchivesAreFoundByMagicNotByName()
    {
        var result = await Walk.BytesAsync("harmless.txt", EicarZip);

        Assert.Single(result.Named("eicar.com"));
    }

    [Fact]
    public async Task TarGzIsUnpackedBothLevels()
    {
        var tgz = Archives.GZip(Archives.Tar(("inner/eicar.com", Walk.Eicar), ("readme", "hi"u8.ToArray())));

        var result = await Walk.BytesAsync("bundle.tar.gz", tgz);

        Assert.Single(result.Named("bundle.tar"));
        Assert.Equal(Walk.Eicar, Assert.Single(result.Named("inner/eicar.com")).Content);
        Assert.Single(result.Named("readme"));
    }

    [Fact]
    public async Task SevenZipMembersAreYielded()
    {
        using var memory = new MemoryStream();
        using (var writer = new SevenZipWriter(memory, new SevenZipWriterOptions(CompressionType.LZMA) { LeaveStreamOpen = true }))
        {
            writer.Write("eicar.com", new MemoryStream(Walk.Eicar), DateTime.UnixEpoch);
        }

        var result = await Walk.BytesAsync("x.7z", memory.ToArray());

        Assert.Equal(Walk.Eicar, Assert.Single(result.Named("eicar.com")).Content);
    }

    [Fact]
    public async Task Bzip2TarIsUnpacked()
    {
        using var memory = new MemoryStream();
        using (var writer = WriterFactory.OpenWriter(memory, ArchiveType.Tar, new WriterOptions(CompressionType.BZip2) { LeaveStreamOpen = true }))
        {
            writer.Write("eicar.com", new MemoryStream(Walk.Eicar), DateTime.UnixEpoch);
        }

        var result = await Walk.BytesAsync("x.tar.bz2", memory.ToArray());

        Assert.Equal(Walk.Eicar, Assert.Single(result.Named("eicar.com")).Content);
    }

    // RAR: SharpCompress reads RAR but cannot write it, and no RAR fixture may be committed; the
    // RarArchive path is exercised only by the magic-detection test below.
    [Fact]
    public void RarIsRecognisedByItsMagic()
    {
        Assert.Equal(FileKind.Rar, FileMagic.Detect("Rar!\x1A\x07\x01\x00"u8));
        Assert.Equal(FileKind.SevenZip, FileMagic.Detect([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4]));
    }

    [Fact]
    public async Task EncryptedZipEntriesAreYieldedAsEncryptedWithNoContent()
    {
        var result = await Walk.BytesAsync("secret.zip", Archives.EncryptedZip("payload.exe", Walk.Eicar));

        var entry = Assert.Single(result.Named("payload.exe"));
        Assert.True(entry.Item.IsEncrypted);
        Assert.Empty(entry.Content);
    }

    [Fact]
    public async Task ATruncatedZipYieldsWhatCouldBeReadAndADamagedArchiveViolation()
    {
        var zip = Archives.Zip(("first.txt", Encoding.ASCII.GetBytes(new string('a', 5000))), ("second.txt", Walk.Eicar));
        var cut = zip[..(zip.Length - 60)];

        var result = await Walk.BytesAsync("cut.zip", cut);

        Assert.True(result.HasViolation(LimitNames.DamagedArchive));
        Assert.Contains(result.Objects, o => o.Item.FileName == "first.txt");
    }

    [Fact]
    public async Task GarbageAfterAZipMagicIsADamagedArchiveNotACrash()
    {
        var bytes = "PK\x03\x04"u8.ToArray().Concat(Enumerable.Repeat((byte)0x41, 500)).ToArray();

        var result = await Walk.BytesAsync("bad.zip", bytes);

        Assert.True(result.HasViolation(LimitNames.DamagedArchive));
    }

    [Fact]
    public async Task AHighlyCompressedEntryStopsAtTheExpansionRatio()
    {
        // 100 MB of zeros deflate to about 100 KB: a thousandfold, four times the default limit.
        var bomb = Archives.ZerosZip("zeros.bin", 100L << 20);

        var result = await Walk.BytesAsync("bomb.zip", bomb);

        Assert.True(result.HasViolation(LimitNames.ExpansionRatio));
        var entry = Assert.Single(result.Named("zeros.bin"));
        Assert.True(entry.Item.Length < 100L << 20);
    }

    [Fact]
    public async Task NestedZipsStopAtTheDepthLimit()
    {
        var zip = EicarZip;
        for (var level = 0; level < 10; level++)
        {
            zip = Archives.Zip(($"level{level}.zip", zip));
        }

        var result = await Walk.BytesAsync("nested.zip", zip, new ScanLimits { MaxDepth = 5 });

        Assert.True(result.HasViolation(LimitNames.Depth));
        Assert.All(result.Objects, o => Assert.True(o.Item.Depth <= 5));
    }

    [Fact]
    public async Task A42StyleFanOutStopsAtTheObjectLimit()
    {
        // Each level holds ten copies of the level below: 10,000 leaves from a few kilobytes.
        var zip = Archives.Zip(("leaf.txt", new byte[1000]));
        for (var level = 0; level < 4; level++)
        {
            var copy = zip;
            zip = Archives.Zip(Enumerable.Range(0, 10).Select(i => ($"{level}-{i}.zip", copy)).ToArray());
        }

        var result = await Walk.BytesAsync("42.zip", zip, new ScanLimits { MaxObjects = 200 });

        Assert.True(result.HasViolation(LimitNames.Objects));
        Assert.Equal(200, result.Objects.Count);
    }

    [Fact]
    public async Task TotalBytesAreBounded()
    {
        var zip = Archives.Zip(Enumerable.Range(0, 5).Select(i => ($"f{i}.bin", RandomBytes(i, 100_000))).ToArray());

        var result = await Walk.BytesAsync("many.zip", zip, new ScanLimits { MaxTotalBytes = 250_000 });

        Assert.True(result.HasViolation(LimitNames.TotalBytes));
        Assert.True(result.Objects.Count < 6);
    }

    [Fact]
    public async Task AnOversizedObjectIsCutAtTheObjectLimit()
    {
        var zip = Archives.Zip(("big.bin", RandomBytes(1, 50_000)));

        var result = await Walk.BytesAsync("x.zip", zip, new ScanLimits { MaxObjectBytes = 10_000 });

        Assert.True(result.HasViolation(LimitNames.ObjectBytes));
        Assert.Equal(10_000, Assert.Single(result.Named("big.bin")).Content.Length);
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
