using System.Text;
using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

/// <summary>Shared helpers: load a database from text, scan content in chunks of a given size.</summary>
internal static class SignatureTestData
{
    public const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    public const string ClamAvTestFiles = "/usr/share/clamav-testfiles";

    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    public static SignatureSet Ndb(params string[] lines) => SignatureLoader.LoadText("test.ndb", string.Join('\n', lines));

    public static SignatureSet Ldb(params string[] lines) => SignatureLoader.LoadText("test.ldb", string.Join('\n', lines));

    /// <summary>Scans by feeding the content in chunks of <paramref name="chunkSize"/> bytes.</summary>
    public static IReadOnlyList<string> ScanInChunks(SignatureSet set, ReadOnlySpan<byte> content, int chunkSize)
    {
        using var scanner = set.CreateScanner(null);
        for (var i = 0; i < content.Length; i += chunkSize)
        {
            scanner.Feed(content.Slice(i, Math.Min(chunkSize, content.Length - i)));
        }

        return scanner.Complete();
    }

    /// <summary>Scans in 1-byte, 7-byte and 64 KiB chunks, asserts all three agree, and returns the result.</summary>
    public static IReadOnlyList<string> ScanAllWays(SignatureSet set, byte[] content)
    {
        var whole = ScanInChunks(set, content, 64 * 1024).Order().ToArray();
        Assert.Equal(whole, ScanInChunks(set, content, 7).Order().ToArray());
        Assert.Equal(whole, ScanInChunks(set, content, 1).Order().ToArray());
        return whole;
    }

    /// <summary>Fails with a message naming the Debian package when ClamAV's test files are not installed.</summary>
    public static string RequireClamAvTestFiles()
    {
        if (!Directory.Exists(ClamAvTestFiles))
        {
            throw new InvalidOperationException(
                $"{ClamAvTestFiles} is missing: install the Debian package 'clamav-testfiles' (apt-get install -y clamav-testfiles).");
        }

        return ClamAvTestFiles;
    }
}
