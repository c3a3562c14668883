namespace Moat.Trust.Learning;

/// <summary>What learning from one outbound message did.</summary>
public sealed record LearningResult(int Added, string? SkippedBecause)
{
    public static LearningResult Learned(int added) => new(added, null);

    public static LearningResult Skipped(string reason) => new(0, reason);

    public override string ToString() =>
        SkippedBecause is null ? $"learned {Added} recipient(s) as trusted" : $"learned nothing: {SkippedBecause}";
}
