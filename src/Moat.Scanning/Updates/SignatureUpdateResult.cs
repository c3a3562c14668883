namespace Moat.Scanning.Updates;

/// <summary>What one update or rollback did.</summary>
public sealed record SignatureUpdateResult(SignatureUpdateOutcome Outcome, string Message, DateTimeOffset At, IReadOnlyList<string> Files)
{
    public bool Succeeded => Outcome != SignatureUpdateOutcome.Failed;

    public override string ToString() => Outcome switch
    {
        SignatureUpdateOutcome.Updated => "updated: ",
        SignatureUpdateOutcome.UpToDate => "up to date: ",
        SignatureUpdateOutcome.RolledBack => "rolled back: ",
        _ => "failed: ",
    } + Message;
}
