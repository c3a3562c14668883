namespace Moat.Bench.Scanning;

/// <summary>A file's verdict and, for an infection or an error, its threat names or reason.</summary>
internal sealed record Outcome(Verdict Verdict, string? Detail);
