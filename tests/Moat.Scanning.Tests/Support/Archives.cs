using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Moat.Scanning.Tests.Support;

/// <summary>Builds small archives in memory for the walker and heuristics tests.</summary>
internal static class Archives
{
    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }
        }

        return memory.ToArray();
    }

    public static byte[] Zip(string name, string text) => Zip((name, Encoding.ASCII.GetBytes(text)));

    public static byte[] GZip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return memory.ToArray();
    }

    public static byte[] Tar(params (string Name, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var writer = new TarWriter(memory, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return memory.ToArray();
    }

    /// <summary>
    /// A zip whose entry claims to be encrypted: .NET cannot write encrypted zips, so set bit 0 of
    /// the general purpose flags in the local header and the central directory by hand.
    /// </summary>
    public static byte[] EncryptedZip(string name, byte[] content)
    {
        var zip = Zip((name, content));
        SetEncryptedFlag(zip, "PK\x03\x04"u8, flagOffset: 6);
        SetEncryptedFlag(zip, "PK\x01\x02"u8, flagOffset: 8);
        return zip;
    }

    private static void SetEncryptedFlag(byte[] zip, ReadOnlySpan<byte> signature, int flagOffset)
    {
        var at = zip.AsSpan().IndexOf(signature);
        Assert.True(at >= 0, "zip header not found");
        zip[at + flagOffset] |= 1;
    }

    /// <summary>A zip with one entry of <paramref name="size"/> zero bytes, written in chunks (never whole in memory).</summary>
    public static byte[] ZerosZip(string name, long size)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            var chunk = new byte[1 << 20];
            for (long written = 0; written < size; written += chunk.Length)
            {
                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
            }
        }

        return memory.ToArray();
    }
}
