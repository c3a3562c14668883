namespace Moat.Bench.Trust.Lookups;

/// <summary>One timed round of lookups.</summary>
internal sealed record Round(double PerSecond, double BytesPerLookup, int Gen0Collections, long Trusted);
