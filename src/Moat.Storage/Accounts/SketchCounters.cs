namespace Moat.Storage.Accounts;

/// <summary>The counters of a count-min sketch, row after row: <c>Counters.Length == Depth * Width</c>.</summary>
public sealed record SketchCounters(int Depth, int Width, uint[] Counters);
