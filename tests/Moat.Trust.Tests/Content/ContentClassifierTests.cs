using Moat.Storage.Trust;
using Moat.Trust.Content;

namespace Moat.Trust.Tests.Content;

public sealed class ContentClassifierTests
{
    private static readonly TokenCounts Learned = new(100, 100);

    [Fact]
    public void TooLittleLearnedGivesNoOpinion()
    {
        Assert.Null(ContentClassifier.Score([new TokenCounts(0, 50)], new TokenCounts(ContentClassifier.MinimumLearned - 1, 100)));
    }

    [Fact]
    public void TokensSeenOnlyInSpamScoreNearOne()
    {
        var score = ContentClassifier.Score(Enumerable.Repeat(new TokenCounts(0, 40), 20), Learned);

        Assert.InRange(score!.Value, 0.99, 1.0);
    }

    [Fact]
    public void TokensSeenOnlyInHamScoreNearZero()
    {
        var score = ContentClassifier.Score(Enumerable.Repeat(new TokenCounts(40, 0), 20), Learned);

        Assert.InRange(score!.Value, 0.0, 0.01);
    }

    [Fact]
    public void UnseenAndNeutralTokensSayNothing()
    {
        Assert.Equal(0.5, ContentClassifier.Score([new TokenCounts(0, 0), new TokenCounts(10, 10)], Learned));
    }

    [Fact]
    public void MixedEvidenceIsUnsure()
    {
        var tokens = Enumerable.Repeat(new TokenCounts(0, 40), 10).Concat(Enumerable.Repeat(new TokenCounts(40, 0), 10));

        Assert.InRange(ContentClassifier.Score(tokens, Learned)!.Value, 0.3, 0.7);
    }

    [Theory]
    [InlineData(0.0, 2, 1.0)]
    [InlineData(2.0, 2, 0.36787944117144233)]
    [InlineData(10.0, 10, 0.44049328506521257)]
    public void ChiSquareTailMatchesTheDistribution(double value, int degrees, double expected)
    {
        Assert.Equal(expected, ContentClassifier.ChiSquareQ(value, degrees), 9);
    }
}
