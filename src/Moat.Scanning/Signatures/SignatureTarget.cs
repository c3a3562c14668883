namespace Moat.Scanning.Signatures;

/// <summary>ClamAV's target types (the number in .ndb/.ldb signatures).</summary>
public enum SignatureTarget
{
    Any = 0,
    PortableExecutable = 1,
    Ole2 = 2,
    Html = 3,
    Mail = 4,
    Graphics = 5,
    Elf = 6,
    AsciiText = 7,
    MachO = 9,
    Pdf = 10,
    Flash = 11,
    Java = 12,
}
