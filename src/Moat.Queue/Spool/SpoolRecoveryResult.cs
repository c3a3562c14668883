namespace Moat.Queue.Spool;

/// <summary>What start-up recovery found and did.</summary>
/// <param name="OrphanContentDeleted">Content files of the old two-file format that no message refers to any more.</param>
/// <param name="Migrated">Messages of the old two-file format rewritten as one queue file each.</param>
public sealed record SpoolRecoveryResult(int ReturnedFromActive, int TempFilesDeleted, int OrphanContentDeleted, int MovedToCorrupt, int Migrated = 0);
