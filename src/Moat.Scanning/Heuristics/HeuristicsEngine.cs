using System.IO.Compression;
using System.Text;
using Moat.Scanning.Content;
using Moat.Scanning.Engines;

namespace Moat.Scanning.Heuristics;

/// <summary>
/// Flags what is dangerous by its nature rather than by a signature: executables, script and
/// shortcut types, deceptive names, content that is not what it claims, Office macros, encrypted
/// archives (which no engine can look into) and HTML smuggling. Sees every object the walker finds.
/// </summary>
public sealed class HeuristicsEngine : IScanEngine
{
    private static readonly HashSet<string> ExecutableMimeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/octet-stream", "application/x-msdownload", "application/x-msdos-program", "application/x-dosexec",
        "application/x-executable", "application/x-elf", "application/x-mach-binary", "application/x-sharedlib",
        "application/vnd.microsoft.portable-executable", "application/x-ms-dos-executable", "application/exe", "application/x-exe",
        "application/binary", "application/x-binary",
    };

    private static readonly string[] HtmlExtensions = [".htm", ".html", ".shtml", ".xhtml", ".svg", ".svgz", ".mht", ".mhtml", ".hta"];

    private readonly HeuristicsOptions _options;
    private readonly HashSet<string> _blocked;

    public HeuristicsEngine(HeuristicsOptions? options = null)
    {
        _options = options ?? new HeuristicsOptions();
        _blocked = new HashSet<string>(
            _options.BlockedExtensions.Select(e => "." + e.Trim().TrimStart('.').ToLowerInvariant()),
            StringComparer.OrdinalIgnoreCase);
    }

    public string Name => "heuristics";

    public bool Accepts(ScanObject item) => true;

    public async ValueTask<EngineVerdict> ScanAsync(ScanObject item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var threats = new List<string>();
        if (item.IsEncrypted && _options.DetectEncryptedArchives)
        {
            threats.Add(HeuristicThreats.EncryptedArchive);
        }

        var extension = item.FileName is null ? "" : FileNameAnalysis.Extension(item.FileName);
        CheckName(item, extension, threats);
        if (!item.IsEncrypted)
        {
            try
            {
                await CheckContentAsync(item, extension, threats, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // What the name already showed stands; without it, an unreadable object is undecided, not clean.
                if (threats.Count == 0)
                {
                    return EngineVerdict.Error($"cannot read {item.Path}: {ex.Message}");
                }
            }
        }

        return threats.Count == 0 ? EngineVerdict.Clean : EngineVerdict.Infected([.. threats.Distinct()]);
    }

    private void CheckName(ScanObject item, string extension, List<string> threats)
    {
        if (item.FileName is null)
        {
            return;
        }

        if (_options.DetectBlockedTypes && _blocked.Contains(extension))
        {
            threats.Add(HeuristicThreats.BlockedType(extension));
        }

        if (_options.DetectDoubleExtensions && FileNameAnalysis.HasDeceptiveExtension(item.FileName, _blocked))
        {
            threats.Add(HeuristicThreats.DoubleExtension);
        }

        if (_options.DetectOfficeMacros && item.FileName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))
        {
            threats.Add(HeuristicThreats.MacroOoxml);
        }
    }

    private async ValueTask CheckContentAsync(ScanObject item, string extension, List<string> threats, CancellationToken cancellationToken)
    {
        var head = await FileMagic.ReadHeadAsync(item, cancellationToken);
        var kind = FileMagic.Detect(head);
        var executable = kind switch
        {
            FileKind.Pe => HeuristicThreats.ExecutablePe,
            FileKind.Elf => HeuristicThreats.ExecutableElf,
            FileKind.MachO => HeuristicThreats.ExecutableMachO,
            _ => null,
        };

        if (executable is not null && _options.DetectExecutables)
        {
            threats.Add(executable);
        }

        if (executable is not null && _options.DetectTypeMismatch && ClaimsSomethingElse(item, extension))
        {
            threats.Add(HeuristicThreats.TypeMismatch);
        }

        if (_options.DetectOfficeMacros && kind == FileKind.Ole2
            && !(item.FileName?.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase) ?? false)
            && OleMacroDetector.HasMacros(await ReadBoundedAsync(item, cancellationToken)))
        {
            threats.Add(HeuristicThreats.MacroOle);
        }

        if (_options.DetectOfficeMacros && kind == FileKind.Zip && await ZipHasVbaProjectAsync(item, cancellationToken))
        {
            threats.Add(HeuristicThreats.MacroOoxml);
        }

        if (_options.DetectHtmlSmuggling && LooksLikeHtml(item, extension, head))
        {
            var html = Encoding.Latin1.GetString(await ReadBoundedAsync(item, cancellationToken));
            if (HtmlSmugglingDetector.IsSmuggling(html, _options.HtmlSmugglingMinBase64Length))
            {
                threats.Add(HeuristicThreats.HtmlSmuggling);
            }
        }
    }

    /// <summary>Executable content whose name or declared type says it is something harmless ("invoice.pdf", application/pdf).</summary>
    private static bool ClaimsSomethingElse(ScanObject item, string extension)
    {
        if (extension.Length > 0 && !FileNameAnalysis.IsExecutableExtension(extension))
        {
            return true;
        }

        return item.DeclaredContentType is { } declared
            && !declared.StartsWith("message/", StringComparison.Ordinal)
            && !declared.StartsWith("multipart/", StringComparison.Ordinal)
            && !ExecutableMimeTypes.Contains(declared);
    }

    private static bool LooksLikeHtml(ScanObject item, string extension, byte[] head)
    {
        if (HtmlExtensions.Contains(extension)
            || item.DeclaredContentType is "text/html" or "image/svg+xml" or "application/xhtml+xml" or "application/hta")
        {
            return true;
        }

        var text = Encoding.Latin1.GetString(head).TrimStart('\uFEFF', '\u00EF', '\u00BB', '\u00BF', ' ', '\t', '\r', '\n');
        return text.StartsWith('<')
            && (text.Contains("<html", StringComparison.OrdinalIgnoreCase)
                || text.Contains("<svg", StringComparison.OrdinalIgnoreCase)
                || text.Contains("<script", StringComparison.OrdinalIgnoreCase));
    }

    private async ValueTask<bool> ZipHasVbaProjectAsync(ScanObject item, CancellationToken cancellationToken)
    {
        await using var stream = await item.Open(cancellationToken);
        if (!stream.CanSeek)
        {
            // The walker lists the members anyway; vbaProject.bin is then caught by its name.
            return false;
        }

        try
        {
            await using var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
            return zip.Entries.Any(e => e.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            // A zip without a readable directory: the walker reports it as damaged and lists what it can.
            return false;
        }
    }

    private async ValueTask<byte[]> ReadBoundedAsync(ScanObject item, CancellationToken cancellationToken)
    {
        await using var stream = await item.Open(cancellationToken);
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        while (memory.Length < _options.MaxInspectBytes)
        {
            var wanted = (int)Math.Min(buffer.Length, _options.MaxInspectBytes - memory.Length);
            var read = await stream.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
            if (read == 0)
            {
                break;
            }

            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }
}
