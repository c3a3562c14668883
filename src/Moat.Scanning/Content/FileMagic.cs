namespace Moat.Scanning.Content;

/// <summary>Recognises content by its magic bytes; names and declared types lie, magic rarely does.</summary>
public static class FileMagic
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at (tar keeps its magic at offset 257).</summary>
    public const int HeadLength = 4096;

    public static FileKind Detect(ReadOnlySpan<byte> head)
    {
        if (StartsWith(head, "PK\x03\x04"u8) || StartsWith(head, "PK\x05\x06"u8) || StartsWith(head, "PK\x07\x08"u8))
        {
            return FileKind.Zip;
        }

        if (StartsWith(head, [0x1F, 0x8B]))
        {
            return FileKind.GZip;
        }

        if (StartsWith(head, "BZh"u8) && head.Length > 3 && head[3] is >= (byte)'1' and <= (byte)'9')
        {
            return FileKind.BZip2;
        }

        if (StartsWith(head, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return FileKind.SevenZip;
        }

        if (StartsWith(head, "Rar!\x1A\x07"u8))
        {
            return FileKind.Rar;
        }

        if (StartsWith(head, [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            return FileKind.Xz;
        }

        if ((head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8)) || IsV7Tar(head))
        {
            return FileKind.Tar;
        }

        if (IsPe(head))
        {
            return FileKind.Pe;
        }

        if (StartsWith(head, [0x7F, (byte)'E', (byte)'L', (byte)'F']))
        {
            return FileKind.Elf;
        }

        if (IsMachO(head))
        {
            return FileKind.MachO;
        }

        if (StartsWith(head, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return FileKind.Ole2;
        }

        if (StartsWith(head, "%PDF-"u8))
        {
            return FileKind.Pdf;
        }

        return FileKind.Unknown;
    }

    public static bool IsArchive(FileKind kind) =>
        kind is FileKind.Zip or FileKind.GZip or FileKind.Tar or FileKind.BZip2 or FileKind.SevenZip or FileKind.Rar or FileKind.Xz;

    /// <summary>Reads up to <see cref="HeadLength"/> bytes from the start of <paramref name="item"/>.</summary>
    public static async ValueTask<byte[]> ReadHeadAsync(ScanObject item, CancellationToken cancellationToken)
    {
        await using var stream = await item.Open(cancellationToken);
        // Read into a pooled buffer and copy out what was read: every object is classified, so one array less each.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(HeadLength);
        try
        {
            var total = 0;
            while (total < HeadLength)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total, HeadLength - total), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return buffer[..total];
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsPe(ReadOnlySpan<byte> head)
    {
        // "MZ" alone is two common letters; a real PE points at "PE\0\0" from offset 0x3C.
        if (!StartsWith(head, "MZ"u8) || head.Length < 0x40)
        {
            return false;
        }

        var offset = BitConverter.ToInt32(head.Slice(0x3C, 4));
        return offset >= 0x40 && offset + 4 <= head.Length && head.Slice(offset, 4).SequenceEqual("PE\0\0"u8);
    }

    /// <summary>Old (V7) tar headers have no magic; their checksum over the 512-byte header is the tell.</summary>
    private static bool IsV7Tar(ReadOnlySpan<byte> head)
    {
        if (head.Length < 512 || head[0] == 0)
        {
            return false;
        }

        var field = head.Slice(148, 8);
        long stored = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
            {
                stored = stored * 8 + (b - '0');
                digits++;
            }
            else if (b is not ((byte)' ' or 0))
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        long sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : head[i];
        }

        return sum == stored;
    }

    private static bool IsMachO(ReadOnlySpan<byte> head)
    {
        if (head.Length < 8)
        {
            return false;
        }

        var magic = (uint)(head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]);
        if (magic is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE)
        {
            return true;
        }

        // Fat (universal) binaries share 0xCAFEBABE with Java class files; a fat header counts its
        // architectures (a handful) where a class file has its version (45 and up).
        var count = (uint)(head[4] << 24 | head[5] << 16 | head[6] << 8 | head[7]);
        return magic is 0xCAFEBABE or 0xCAFEBABF && count is > 0 and < 20;
    }

    private static bool StartsWith(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);
}
