using System.Text;
using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Trust.Content;

namespace Moat.Trust.Tests.Content;

public sealed class ListContentCheckTests : IDisposable
{
    private const string List = "dev@lists.partner.test";
    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();
    private readonly ListContentCheck check;

    public ListContentCheckTests()
    {
        check = new ListContentCheck(
            new ListContentOptions(),
            storage.Tokens,
            new TokenHasher(new byte[TokenHasher.KeyLength]),
            storage.Familiarity,
            (training, token) => storage.Tokens.LearnAsync([training], DateTimeOffset.UtcNow, token));
    }

    public void Dispose() => storage.Dispose();

    private static MemoryStream Message(string subject, string body) =>
        new(Encoding.UTF8.GetBytes($"From: someone@elsewhere.test\r\nSubject: {subject}\r\n\r\n{body}\r\n"));

    private async Task LearnExamplesAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            await check.LearnAsync(Message($"Meeting notes {i}", "the build failed again after the merge, see the test log and the patch"), isSpam: false, default);
            await check.LearnAsync(Message($"Amazing offer {i}", "cheap pills casino winner claim your free prize money now"), isSpam: true, default);
        }
    }

    [Fact]
    public async Task BeforeEnoughIsLearnedNothingIsHeld()
    {
        var judgement = await check.JudgeAsync(Message("Amazing offer", "cheap pills casino winner"), List, "spammer@junk.test", default);

        Assert.Null(judgement.Score);
        Assert.False(judgement.Hold);
    }

    [Fact]
    public async Task ASpammyPostIsHeldAndAnOrdinaryPostIsLearnedAsHam()
    {
        await LearnExamplesAsync();

        var spam = await check.JudgeAsync(Message("Amazing offer", "claim your free prize money now, cheap pills"), List, "spammer@junk.test", default);
        var ham = await check.JudgeAsync(Message("Re: Meeting notes", "the patch fixes the build, the test log is clean after the merge"), List, "carol@bank.test", default);

        Assert.True(spam.Hold);
        Assert.InRange(spam.Score!.Value, 0.9, 1.0);
        Assert.False(ham.Hold);
        Assert.InRange(ham.Score!.Value, 0.0, ListContentCheck.LearnHamBelow);
        Assert.Equal(new TokenCounts(11, 10), await storage.Tokens.GetTotalsAsync(default));
    }

    [Fact]
    public async Task AnAuthorsFirstPostIsJudgedMoreStrictlyThanTheirLaterOnes()
    {
        await LearnExamplesAsync();
        var strictFirst = new ListContentCheck(
            new ListContentOptions { SpamScore = 1.1, FirstPostScore = 0.0 },
            storage.Tokens,
            new TokenHasher(new byte[TokenHasher.KeyLength]),
            storage.Familiarity,
            (_, _) => ValueTask.CompletedTask);

        var first = await strictFirst.JudgeAsync(Message("Hello", "the build and the patch"), List, "dave@partner.test", default);
        await check.JudgeAsync(Message("Hello", "the build and the patch"), List, "erin@partner.test", default);
        var later = await strictFirst.JudgeAsync(Message("Hello again", "the build and the patch"), List, "erin@partner.test", default);

        Assert.True(first.FirstPost);
        Assert.True(first.Hold);
        Assert.False(later.FirstPost);
        Assert.False(later.Hold);
    }

    [Fact]
    public async Task AHeldPostDoesNotMakeItsAuthorAKnownPoster()
    {
        await LearnExamplesAsync();

        await check.JudgeAsync(Message("Amazing offer", "claim your free prize money now"), List, "spammer@junk.test", default);

        Assert.Equal(0, await storage.Familiarity.GetCountAsync(FamiliarityKind.ListPoster, $"{List} spammer@junk.test", default));
    }

    [Fact]
    public async Task AMessageThatIsNotMimeIsNeitherHeldNorLearned()
    {
        await LearnExamplesAsync();
        var garbage = new MemoryStream([0x00, 0xff, 0x3a, 0x0a, 0x0a, 0x00]);

        var judgement = await check.JudgeAsync(garbage, List, "spammer@junk.test", default);
        await check.LearnAsync(new MemoryStream([0x00, 0xff, 0x3a]), isSpam: true, default);

        Assert.False(judgement.Hold);
        Assert.Equal(new TokenCounts(10, 10), await storage.Tokens.GetTotalsAsync(default));
    }
}
