using Moat.Storage.Trust;

namespace Moat.Trust.Content;

/// <summary>
/// Robinson's Bayesian combining with Fisher's chi-square method, as SpamBayes does it: each token's
/// spam probability is shrunk towards 0.5 by how rarely it was seen, the strongest
/// <see cref="MaximumTokens"/> tokens are combined into a spam and a ham indication, and the score
/// is their balance, 0 (ham) to 1 (spam). Unseen tokens say nothing.
/// </summary>
public static class ContentClassifier
{
    /// <summary>Below this many learned ham and spam messages each the classifier has no opinion.</summary>
    public const long MinimumLearned = 5;

    public const int MaximumTokens = 100;

    private const double Strength = 0.45;
    private const double Unknown = 0.5;
    private const double MinimumDistance = 0.1;

    /// <returns>The spam score in [0, 1], or null when too little has been learned.</returns>
    public static double? Score(IEnumerable<TokenCounts> tokens, TokenCounts totals)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (totals.Ham < MinimumLearned || totals.Spam < MinimumLearned)
        {
            return null;
        }

        var strongest = new List<double>();
        foreach (var counts in tokens)
        {
            var seen = counts.Ham + counts.Spam;
            if (seen == 0)
            {
                continue;
            }

            var hamRatio = (double)counts.Ham / totals.Ham;
            var spamRatio = (double)counts.Spam / totals.Spam;
            var p = spamRatio / (hamRatio + spamRatio);
            p = ((Strength * Unknown) + (seen * p)) / (Strength + seen);
            if (Math.Abs(p - 0.5) >= MinimumDistance)
            {
                strongest.Add(p);
            }
        }

        if (strongest.Count == 0)
        {
            return 0.5;
        }

        strongest.Sort((a, b) => Math.Abs(b - 0.5).CompareTo(Math.Abs(a - 0.5)));
        var used = strongest.Take(MaximumTokens).ToList();
        double logHam = 0, logSpam = 0;
        foreach (var p in used)
        {
            logHam += Math.Log(1 - p);
            logSpam += Math.Log(p);
        }

        var spam = 1 - ChiSquareQ(-2 * logHam, 2 * used.Count);
        var ham = 1 - ChiSquareQ(-2 * logSpam, 2 * used.Count);
        return (spam - ham + 1) / 2;
    }

    /// <summary>The probability that a chi-square variable with <paramref name="degrees"/> (even) degrees of freedom exceeds <paramref name="value"/>.</summary>
    internal static double ChiSquareQ(double value, int degrees)
    {
        var m = value / 2;
        var term = Math.Exp(-m);
        var sum = term;
        for (var i = 1; i < degrees / 2; i++)
        {
            term *= m / i;
            sum += term;
        }

        return Math.Min(sum, 1.0);
    }
}
