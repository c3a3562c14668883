namespace Moat.Queue.Spool;

/// <summary>What <see cref="FileSync.RenameNoReplace"/> did.</summary>
internal enum RenameResult
{
    Renamed,

    /// <summary>There was nothing to rename (someone else moved or deleted it first).</summary>
    SourceMissing,

    /// <summary>The target name exists; nothing was changed.</summary>
    TargetExists,
}
