namespace Moat.Accounts.Accounts;

/// <summary>The sketch's counters as last loaded, with the store's change stamp they were loaded at. Never changed after creation.</summary>
internal sealed record SketchSnapshot(long Stamp, int Depth, int Width, uint[] Counters);
