namespace Moat.Scanning.Signatures;

/// <summary>
/// Decides an object's <see cref="SignatureTarget"/> from its first bytes, so that typed body
/// signatures only fire on objects of their type. Only magic numbers are checked (an "MZ" header
/// counts as PE without walking to the PE header); types we cannot recognise by magic alone
/// (HTML, mail, text, Java) are never detected, and their signatures are skipped at load.
/// </summary>
internal static class FileTypeDetector
{
    /// <summary>How many leading bytes detection needs (PDF allows junk before "%PDF-").</summary>
    public const int HeadLength = 1024;

    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    private static ReadOnlySpan<byte> PngMagic => [0x89, (byte)'P', (byte)'N', (byte)'G'];

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Ole2Magic => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static bool IsSupported(SignatureTarget target) => target is SignatureTarget.Any
        or SignatureTarget.PortableExecutable or SignatureTarget.Ole2 or SignatureTarget.Graphics
        or SignatureTarget.Elf or SignatureTarget.MachO or SignatureTarget.Pdf or SignatureTarget.Flash;

    public static SignatureTarget Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("MZ"u8))
        {
            return SignatureTarget.PortableExecutable;
        }

        if (head.StartsWith(ElfMagic))
        {
            return SignatureTarget.Elf;
        }

        if (head.StartsWith(Ole2Magic))
        {
            return SignatureTarget.Ole2;
        }

        if (head.Length >= 4)
        {
            var magic = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head);
            // 32/64-bit Mach-O in either byte order, and universal ("fat") binaries. CAFEBABE is
            // also a Java class file; Java signatures are not supported, so Mach-O wins.
            if (magic is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE or 0xCAFEBABE)
            {
                return SignatureTarget.MachO;
            }
        }

        if (head.StartsWith("GIF8"u8) || head.StartsWith(PngMagic) || head.StartsWith(JpegMagic))
        {
            return SignatureTarget.Graphics;
        }

        if (head.StartsWith("FWS"u8) || head.StartsWith("CWS"u8) || head.StartsWith("ZWS"u8))
        {
            return SignatureTarget.Flash;
        }

        return head.IndexOf("%PDF-"u8) >= 0 ? SignatureTarget.Pdf : SignatureTarget.Any;
    }
}
