using Moat.Scanning.Signatures;

namespace Moat.Scanning.Updates;

/// <summary>
/// manifest.sha256 in sha256sum format ("&lt;64 hex&gt;  name" or "&lt;64 hex&gt; *name"). Only
/// plain file names of supported databases are accepted: a name with a path, "..", or another
/// extension is an error, so a source can never write outside the signature folder.
/// </summary>
public static class SignatureManifest
{
    public const string FileName = "manifest.sha256";

    public static IReadOnlyList<SignatureManifestEntry> Parse(string text)
    {
        var entries = new List<SignatureManifestEntry>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.Length < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') || !IsHex(line.AsSpan(0, 64)))
            {
                throw new FormatException($"{FileName}:{lineNumber}: expected '<sha256 in hex>  <file name>'");
            }

            var name = line[66..];
            if (name.Contains('/') || name.Contains('\\') || name is "." or ".." || name.StartsWith('.') || !SignatureLoader.IsDatabaseFile(name))
            {
                throw new FormatException($"{FileName}:{lineNumber}: '{name}' is not a plain .hdb, .hsb, .ndb or .ldb file name");
            }

            if (!names.Add(name))
            {
                throw new FormatException($"{FileName}:{lineNumber}: '{name}' is listed twice");
            }

            entries.Add(new SignatureManifestEntry(line[..64].ToLowerInvariant(), name));
        }

        if (entries.Count == 0)
        {
            throw new FormatException($"{FileName} lists no database files");
        }

        return entries;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
