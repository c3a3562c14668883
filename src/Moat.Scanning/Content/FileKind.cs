namespace Moat.Scanning.Content;

/// <summary>What the first bytes of some content say it is.</summary>
public enum FileKind
{
    Unknown,
    Zip,
    GZip,
    Tar,
    BZip2,
    SevenZip,
    Rar,
    Xz,
    Pe,
    Elf,
    MachO,
    Ole2,
    Pdf,
}
