namespace Moat.Scanning.Scanning;

/// <summary>What one engine did during one scan.</summary>
/// <param name="Duration">Time spent in the engine, summed over its objects.</param>
public sealed record EngineStatistics(string Engine, int ObjectsScanned, TimeSpan Duration, int Detections, int Errors);
