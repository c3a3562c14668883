using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moat.Scanning.Signatures;

/// <summary>
/// Loads ClamAV-format databases (.hdb, .hsb, .ndb, .ldb) into an immutable <see cref="SignatureSet"/>.
/// A syntax error anywhere throws <see cref="SignatureLoadException"/> naming the file and line,
/// and nothing is returned: a half-loaded set never goes live. Signatures that use ClamAV
/// features Moat does not implement are skipped and counted (<see cref="SignatureSetStatistics.Skipped"/>).
/// Empty lines and lines starting with '#' are ignored.
/// </summary>
public static class SignatureLoader
{
    /// <summary>Database files at least this large in total are a real signature set, whose loader garbage is worth returning at once.</summary>
    private const long LargeSetBytes = 1 << 20;

    /// <summary>Files Moat itself keeps in the signature folder; not databases, not worth a log line.</summary>
    private static readonly string[] OwnFiles = ["manifest.sha256", "update-status.json"];

    public static bool IsDatabaseFile(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() is ".hdb" or ".hsb" or ".ndb" or ".ldb";

    /// <summary>Every database file directly in <paramref name="directory"/> (not in subfolders such as previous/), plus the built-in database.</summary>
    public static SignatureSet LoadDirectory(string directory, bool includeBuiltIn = true, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var files = new List<string>();
        if (Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (IsDatabaseFile(name))
                {
                    files.Add(path);
                }
                else if (!OwnFiles.Contains(name) && !name.StartsWith('.'))
                {
                    logger.LogInformation("Signature folder {Directory}: ignoring {File} (not an .hdb, .hsb, .ndb or .ldb database)", directory, name);
                }
            }
        }
        else
        {
            logger.LogInformation("Signature folder {Directory} does not exist; using the built-in database only", directory);
        }

        var set = LoadFiles(files, includeBuiltIn, cancellationToken);
        foreach (var warning in set.Statistics.Warnings)
        {
            logger.LogWarning("Signature {Warning}", warning);
        }

        return set;
    }

    public static SignatureSet LoadFiles(IEnumerable<string> paths, bool includeBuiltIn = true, CancellationToken cancellationToken = default)
    {
        var builder = new SignatureSetBuilder();
        if (includeBuiltIn)
        {
            AddBuiltIn(builder, cancellationToken);
        }

        long bytesRead = 0;
        foreach (var path in paths)
        {
            if (!IsDatabaseFile(path))
            {
                builder.AddIgnoredFile(Path.GetFileName(path));
                continue;
            }

            try
            {
                var length = new FileInfo(path).Length;
                bytesRead += length;
                if (Path.GetExtension(path).Equals(".hdb", StringComparison.OrdinalIgnoreCase))
                {
                    // An MD5 line is about 50 bytes; the estimate only saves rehashing.
                    builder.Md5.EnsureCapacity((int)Math.Min(length / 50, 50_000_000));
                }

                using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
                AddText(builder, Path.GetFileName(path), reader, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new SignatureLoadException(Path.GetFileName(path), 0, "cannot be read: " + ex.Message, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new SignatureLoadException(Path.GetFileName(path), 0, "cannot be read: " + ex.Message, ex);
            }
        }

        var set = builder.Build();
        if (bytesRead >= LargeSetBytes)
        {
            ReturnLoaderMemory();
        }

        return set;
    }

    /// <summary>
    /// Loading allocates several times what the finished set keeps (94 MB of lines, strings and
    /// growing tables for the 15 MB of a 110,000-signature set), and the garbage collector would
    /// otherwise keep that memory committed long after. A set is loaded at start and on updates,
    /// minutes apart, so one blocking, compacting collection that gives the free memory back to the
    /// system is worth its few milliseconds: the process starts scanning from the set's own size
    /// (docs/benchmarks.md, Antivirus).
    /// </summary>
    private static void ReturnLoaderMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The built-in database alone (EICAR and ClamAV's test files).</summary>
    public static SignatureSet LoadBuiltIn()
    {
        var builder = new SignatureSetBuilder();
        AddBuiltIn(builder, CancellationToken.None);
        return builder.Build();
    }

    /// <summary>Loads database text given in memory; <paramref name="fileName"/>'s extension decides the format.</summary>
    public static SignatureSet LoadText(string fileName, string text, bool includeBuiltIn = false)
    {
        var builder = new SignatureSetBuilder();
        if (includeBuiltIn)
        {
            AddBuiltIn(builder, CancellationToken.None);
        }

        AddText(builder, fileName, new StringReader(text), CancellationToken.None);
        return builder.Build();
    }

    private static void AddBuiltIn(SignatureSetBuilder builder, CancellationToken cancellationToken)
    {
        AddText(builder, BuiltInSignatures.HdbFileName, new StringReader(BuiltInSignatures.Hdb), cancellationToken);
        AddText(builder, BuiltInSignatures.NdbFileName, new StringReader(BuiltInSignatures.Ndb), cancellationToken);
    }

    private static void AddText(SignatureSetBuilder builder, string fileName, TextReader reader, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!IsDatabaseFile(fileName))
        {
            throw new SignatureLoadException(fileName, 0, "unsupported database type (expected .hdb, .hsb, .ndb or .ldb)");
        }

        builder.AddFile(fileName);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if ((lineNumber & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (line.Length == 0 || line[0] == '#' || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                switch (extension)
                {
                    case ".hdb":
                        SignatureLineParser.ParseHash(builder, line, shaFile: false);
                        break;
                    case ".hsb":
                        SignatureLineParser.ParseHash(builder, line, shaFile: true);
                        break;
                    case ".ndb":
                        SignatureLineParser.ParseBody(builder, line);
                        break;
                    default:
                        SignatureLineParser.ParseLogical(builder, line);
                        break;
                }
            }
            catch (FormatException ex)
            {
                throw new SignatureLoadException(fileName, lineNumber, ex.Message, ex);
            }
            catch (NotSupportedException ex)
            {
                builder.Skip(fileName, lineNumber, ex.Message);
            }
        }
    }
}
