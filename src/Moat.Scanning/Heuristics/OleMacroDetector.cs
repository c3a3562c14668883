using System.Buffers.Binary;
using System.Text;

namespace Moat.Scanning.Heuristics;

/// <summary>
/// Finds VBA macros in an OLE2 compound file (.doc, .xls, .ppt, vbaProject.bin) by walking its
/// directory for the "VBA" storage, the "_VBA_PROJECT" stream or Word's "Macros" storage.
/// </summary>
internal static class OleMacroDetector
{
    private const uint EndOfChain = 0xFFFFFFFE;
    private const int MaxDirectoryEntries = 100_000;
    private static readonly string[] MacroEntryNames = ["VBA", "_VBA_PROJECT", "_VBA_PROJECT_CUR", "Macros"];

    public static bool HasMacros(ReadOnlySpan<byte> file)
    {
        var names = TryReadDirectoryNames(file);
        if (names is not null)
        {
            return names.Any(n => MacroEntryNames.Contains(n, StringComparer.OrdinalIgnoreCase));
        }

        // A directory we cannot walk (damaged, or past what was read) still stores its names as UTF-16.
        return file.IndexOf(Encoding.Unicode.GetBytes("_VBA_PROJECT")) >= 0;
    }

    /// <summary>The names of all directory entries, or null when the structure cannot be followed.</summary>
    internal static List<string>? TryReadDirectoryNames(ReadOnlySpan<byte> file)
    {
        if (file.Length < 512)
        {
            return null;
        }

        var sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(file[0x1E..]);
        if (sectorShift is not (9 or 12))
        {
            return null;
        }

        var sectorSize = 1 << sectorShift;
        var fat = ReadFat(file, sectorSize);
        if (fat is null)
        {
            return null;
        }

        var names = new List<string>();
        var sector = BinaryPrimitives.ReadUInt32LittleEndian(file[0x30..]);
        var visited = new HashSet<uint>();
        while (sector != EndOfChain && visited.Add(sector) && names.Count < MaxDirectoryEntries)
        {
            var offset = ((long)sector + 1) * sectorSize;
            if (offset + sectorSize > file.Length)
            {
                return null;
            }

            for (var entry = 0; entry < sectorSize / 128; entry++)
            {
                var raw = file.Slice((int)offset + entry * 128, 128);
                var type = raw[0x42];
                var length = BinaryPrimitives.ReadUInt16LittleEndian(raw[0x40..]);
                if (type is 1 or 2 or 5 && length is >= 2 and <= 64)
                {
                    names.Add(Encoding.Unicode.GetString(raw[..(length - 2)]));
                }
            }

            if (sector >= fat.Count)
            {
                return null;
            }

            sector = fat[(int)sector];
        }

        return names;
    }

    private static List<uint>? ReadFat(ReadOnlySpan<byte> file, int sectorSize)
    {
        // The first 109 FAT sector numbers sit in the header; larger files chain more through DIFAT sectors.
        var fatSectors = new List<uint>();
        for (var i = 0; i < 109; i++)
        {
            var s = BinaryPrimitives.ReadUInt32LittleEndian(file[(0x4C + i * 4)..]);
            if (s < EndOfChain)
            {
                fatSectors.Add(s);
            }
        }

        var difat = BinaryPrimitives.ReadUInt32LittleEndian(file[0x44..]);
        var seen = new HashSet<uint>();
        while (difat < EndOfChain && seen.Add(difat))
        {
            var offset = ((long)difat + 1) * sectorSize;
            if (offset + sectorSize > file.Length)
            {
                return null;
            }

            for (var i = 0; i < sectorSize / 4 - 1; i++)
            {
                var s = BinaryPrimitives.ReadUInt32LittleEndian(file[((int)offset + i * 4)..]);
                if (s < EndOfChain)
                {
                    fatSectors.Add(s);
                }
            }

            difat = BinaryPrimitives.ReadUInt32LittleEndian(file[((int)offset + sectorSize - 4)..]);
        }

        var fat = new List<uint>();
        foreach (var s in fatSectors)
        {
            var offset = ((long)s + 1) * sectorSize;
            if (offset + sectorSize > file.Length)
            {
                return null;
            }

            for (var i = 0; i < sectorSize / 4; i++)
            {
                fat.Add(BinaryPrimitives.ReadUInt32LittleEndian(file[((int)offset + i * 4)..]));
            }
        }

        return fat;
    }
}
