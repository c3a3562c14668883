namespace Moat.Scanning.Heuristics;

/// <summary>
/// What a file name really ends with. Windows ignores trailing dots and spaces; bidirectional
/// control characters (U+202E RIGHT-TO-LEFT OVERRIDE and friends) make "invoice\u202Efdp.exe"
/// display as "invoiceexe.pdf"; padding with spaces hides ".exe" off the edge of the window.
/// </summary>
internal static class FileNameAnalysis
{
    /// <summary>Extensions of documents and media people open without a second thought.</summary>
    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".docm", ".xls", ".xlsx", ".xlsm", ".ppt", ".pptx", ".pptm", ".rtf", ".odt", ".ods",
        ".txt", ".csv", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".mp3", ".mp4", ".avi", ".mov", ".wav",
        ".zip", ".rar", ".7z", ".htm", ".html", ".xml", ".eml", ".msg", ".ics",
    };

    private static readonly HashSet<string> ExecutableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".dll", ".scr", ".com", ".pif", ".cpl", ".sys", ".drv", ".ocx", ".efi", ".msi", ".bin", ".elf", ".so", ".dylib", ".app", ".out", ".run",
    };

    public static bool HasBidiControl(string name) =>
        name.Any(c => c is '\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068' or '\u2069' or '\u200E' or '\u200F');

    /// <summary>The name as the file system will store it: bidi controls and zero-width characters out, trailing dots and spaces trimmed.</summary>
    public static string Normalize(string name)
    {
        var cleaned = new string(name.Where(c => !(c is >= '\u200B' and <= '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\uFEFF')).ToArray());
        var slash = Math.Max(cleaned.LastIndexOf('/'), cleaned.LastIndexOf('\\'));
        if (slash >= 0)
        {
            cleaned = cleaned[(slash + 1)..];
        }

        return cleaned.TrimEnd(' ', '.', '\t');
    }

    /// <summary>The last extension, lower case with its dot, or "" when there is none.</summary>
    public static string Extension(string name)
    {
        var normalized = Normalize(name);
        var dot = normalized.LastIndexOf('.');
        return dot > 0 && dot < normalized.Length - 1 ? normalized[dot..].ToLowerInvariant() : "";
    }

    public static bool IsExecutableExtension(string extension) => ExecutableExtensions.Contains(extension);

    public static bool IsDocumentExtension(string extension) => DocumentExtensions.Contains(extension);

    /// <summary>
    /// "invoice.pdf.exe", "invoice.pdf      .exe", or a name with bidi controls: a harmless-looking
    /// extension in front of one that runs.
    /// </summary>
    public static bool HasDeceptiveExtension(string name, ISet<string> dangerous)
    {
        if (HasBidiControl(name))
        {
            return true;
        }

        var normalized = Normalize(name);
        var last = Extension(normalized);
        if (last.Length == 0 || !(dangerous.Contains(last) || IsExecutableExtension(last)))
        {
            return false;
        }

        var stem = normalized[..^last.Length].TrimEnd(' ', '\t', '_', '.');
        var previous = Extension(stem);
        return IsDocumentExtension(previous);
    }
}
