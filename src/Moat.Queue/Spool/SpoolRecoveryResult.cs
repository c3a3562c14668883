namespace Moat.Queue.Spool;

/// <summary>What start-up recovery found and did.</summary>
public sealed record SpoolRecoveryResult(int ReturnedFromActive, int TempFilesDeleted, int OrphanContentDeleted, int MovedToCorrupt);
