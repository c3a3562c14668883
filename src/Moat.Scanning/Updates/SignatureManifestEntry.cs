namespace Moat.Scanning.Updates;

/// <summary>One line of manifest.sha256: a file and its SHA-256 (lower-case hex).</summary>
public sealed record SignatureManifestEntry(string Sha256, string FileName);
