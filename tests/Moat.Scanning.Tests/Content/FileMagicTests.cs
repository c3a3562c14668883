using Moat.Scanning.Content;
using Moat.Scanning.Tests.Support;

namespace Moat.Scanning.Tests.Content;

public sealed class FileMagicTests
{
    [Fact]
    public void RecognisesContainersAndExecutables()
    {
        Assert.Equal(FileKind.Zip, FileMagic.Detect("PK\x03\x04rest"u8));
        Assert.Equal(FileKind.GZip, FileMagic.Detect([0x1F, 0x8B, 8, 0]));
        Assert.Equal(FileKind.BZip2, FileMagic.Detect("BZh91AY"u8));
        Assert.Equal(FileKind.Elf, FileMagic.Detect([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1]));
        Assert.Equal(FileKind.MachO, FileMagic.Detect([0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1]));
        Assert.Equal(FileKind.MachO, FileMagic.Detect([0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2]));
        Assert.Equal(FileKind.Pdf, FileMagic.Detect("%PDF-1.7"u8));
        Assert.Equal(FileKind.Pe, FileMagic.Detect(Executables.MinimalPe()));
    }

    [Fact]
    public void MzWithoutAPeHeaderAndAJavaClassAreNotExecutables()
    {
        Assert.Equal(FileKind.Unknown, FileMagic.Detect("MZ just text that starts with MZ and goes on for a while, long enough...."u8));
        Assert.Equal(FileKind.Unknown, FileMagic.Detect([0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52]));
    }
}
