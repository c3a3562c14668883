namespace Moat.Scanning.Updates;

public enum SignatureUpdateOutcome
{
    /// <summary>New files were verified, loaded and installed.</summary>
    Updated,

    /// <summary>The source's manifest is the one already installed; nothing was downloaded.</summary>
    UpToDate,

    /// <summary>The previous set was reinstated.</summary>
    RolledBack,

    /// <summary>Nothing changed on disk or in the engine; <see cref="SignatureUpdateResult.Message"/> says why.</summary>
    Failed,
}
