namespace Moat.Scanning.Heuristics;

/// <summary>Which heuristic rules run, and their settings. Every rule can be switched off.</summary>
public sealed class HeuristicsOptions
{
    /// <summary>The extensions blocked by default: scripts, shortcuts, installers and disk images that run code when opened.</summary>
    public static IReadOnlyList<string> DefaultBlockedExtensions { get; } =
    [
        ".exe", ".dll", ".scr", ".com", ".pif", ".cpl", ".msc", ".msi", ".msp", ".mst",
        ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".wsc", ".hta", ".ps1", ".psm1", ".psd1", ".ps1xml", ".psc1",
        ".bat", ".cmd", ".lnk", ".url", ".scf", ".inf", ".reg", ".jar", ".appx", ".appxbundle", ".msix", ".application",
        ".gadget", ".iso", ".img", ".vhd", ".vhdx", ".chm", ".hlp", ".settingcontent-ms", ".library-ms", ".xll", ".sct",
    ];

    public bool DetectExecutables { get; set; } = true;

    public bool DetectBlockedTypes { get; set; } = true;

    /// <summary>Extensions (with or without the dot, any case) whose files are flagged as "Heuristics.BlockedType.&lt;ext&gt;".</summary>
    public string[] BlockedExtensions { get; set; } = [.. DefaultBlockedExtensions];

    public bool DetectDoubleExtensions { get; set; } = true;

    public bool DetectTypeMismatch { get; set; } = true;

    public bool DetectOfficeMacros { get; set; } = true;

    public bool DetectEncryptedArchives { get; set; } = true;

    public bool DetectHtmlSmuggling { get; set; } = true;

    /// <summary>How much of an object content rules read at most (OLE directories, zip listings, HTML).</summary>
    public long MaxInspectBytes { get; set; } = 32L << 20;

    /// <summary>A base64 run at least this long in HTML counts as a smuggled payload.</summary>
    public int HtmlSmugglingMinBase64Length { get; set; } = 1024;
}
