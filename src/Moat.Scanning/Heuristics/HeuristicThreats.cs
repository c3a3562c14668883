namespace Moat.Scanning.Heuristics;

/// <summary>The threat names the heuristics engine reports.</summary>
public static class HeuristicThreats
{
    public const string ExecutablePe = "Heuristics.Executable.PE";
    public const string ExecutableElf = "Heuristics.Executable.ELF";
    public const string ExecutableMachO = "Heuristics.Executable.MachO";
    public const string DoubleExtension = "Heuristics.DoubleExtension";
    public const string TypeMismatch = "Heuristics.TypeMismatch";
    public const string MacroOle = "Heuristics.Macro.OLE";
    public const string MacroOoxml = "Heuristics.Macro.OOXML";
    public const string EncryptedArchive = "Heuristics.Encrypted.Archive";
    public const string HtmlSmuggling = "Heuristics.HtmlSmuggling";

    /// <summary>"Heuristics.BlockedType.js" for ".js".</summary>
    public static string BlockedType(string extension) => "Heuristics.BlockedType." + extension.TrimStart('.').ToLowerInvariant();
}
