namespace Moat.Cli.Commands;

/// <summary>One file <c>moat scan</c> will scan.</summary>
/// <param name="Path">The full path.</param>
/// <param name="IsMessage">A mail file (.eml, a Maildir's cur/ or new/): parsed as a message whatever its first bytes.</param>
internal sealed record ScanInput(string Path, long Length, bool IsMessage);
