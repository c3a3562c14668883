namespace Moat.Scanning.Tests.Support;

/// <summary>Tiny byte images of executables and Office files, just enough for magic and structure checks.</summary>
internal static class Executables
{
    /// <summary>"MZ", e_lfanew at 0x3C pointing at "PE\0\0".</summary>
    public static byte[] MinimalPe()
    {
        var pe = new byte[256];
        pe[0] = (byte)'M';
        pe[1] = (byte)'Z';
        BitConverter.GetBytes(0x80).CopyTo(pe, 0x3C);
        "PE\0\0"u8.CopyTo(pe.AsSpan(0x80));
        return pe;
    }

    public static byte[] MinimalElf() => [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>
    /// A compound file with one FAT sector (0) and one directory sector (1) holding the given
    /// entries: each (name, type) with type 5 root, 1 storage, 2 stream.
    /// </summary>
    public static byte[] OleFile(params (string Name, byte Type)[] entries)
    {
        const int sector = 512;
        var file = new byte[sector * 3];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(file, 0);
        BitConverter.GetBytes((ushort)0x3E).CopyTo(file, 0x18);
        BitConverter.GetBytes((ushort)3).CopyTo(file, 0x1A);
        BitConverter.GetBytes((ushort)0xFFFE).CopyTo(file, 0x1C);
        BitConverter.GetBytes((ushort)9).CopyTo(file, 0x1E);
        BitConverter.GetBytes((ushort)6).CopyTo(file, 0x20);
        BitConverter.GetBytes(1).CopyTo(file, 0x2C);
        BitConverter.GetBytes(1).CopyTo(file, 0x30);
        BitConverter.GetBytes(0xFFFFFFFE).CopyTo(file, 0x44);
        for (var i = 0; i < 109; i++)
        {
            BitConverter.GetBytes(i == 0 ? 0u : 0xFFFFFFFF).CopyTo(file, 0x4C + i * 4);
        }

        // FAT (sector 0 at offset 512): sector 0 is the FAT itself, sector 1 the directory's only sector.
        BitConverter.GetBytes(0xFFFFFFFD).CopyTo(file, sector);
        BitConverter.GetBytes(0xFFFFFFFE).CopyTo(file, sector + 4);
        for (var i = 2; i < sector / 4; i++)
        {
            BitConverter.GetBytes(0xFFFFFFFF).CopyTo(file, sector + i * 4);
        }

        for (var i = 0; i < entries.Length && i < 4; i++)
        {
            var at = 2 * sector + i * 128;
            var name = System.Text.Encoding.Unicode.GetBytes(entries[i].Name + "\0");
            name.CopyTo(file, at);
            BitConverter.GetBytes((ushort)name.Length).CopyTo(file, at + 0x40);
            file[at + 0x42] = entries[i].Type;
        }

        return file;
    }
}
