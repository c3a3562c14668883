namespace Moat.Trust.Content;

/// <summary>What the content check made of a list post.</summary>
/// <param name="Score">0 (ham) to 1 (spam); null while the classifier has learned too little.</param>
/// <param name="FirstPost">The author never posted to this list before (as far as this gateway saw).</param>
/// <param name="Hold">The post goes to the recipient's quarantine instead of the inbox.</param>
public sealed record ListPostJudgement(double? Score, bool FirstPost, bool Hold)
{
    public override string ToString() =>
        (Score is { } score ? $"list post scored {score:0.000}" : "list post not scored (too little learned yet)")
        + (FirstPost ? ", the author's first post to the list" : string.Empty)
        + (Hold ? ": held as likely spam" : string.Empty);
}
