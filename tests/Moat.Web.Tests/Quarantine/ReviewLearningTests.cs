using System.Text;
using Moat.Storage.Sqlite;
using Moat.Storage.Trust;
using Moat.Trust;
using Moat.Trust.Content;
using Moat.Web.Quarantine;

namespace Moat.Web.Tests.Quarantine;

public sealed class ReviewLearningTests : IDisposable
{
    private readonly SqliteStorage storage = SqliteStorage.OpenInMemory();
    private readonly ListContentCheck listContent;
    private readonly OneMessageQuarantine quarantine = new();

    public ReviewLearningTests()
    {
        listContent = new ListContentCheck(
            new ListContentOptions(),
            storage.Tokens,
            new TokenHasher(new byte[TokenHasher.KeyLength]),
            storage.Familiarity,
            (training, token) => storage.Tokens.LearnAsync([training], DateTimeOffset.UtcNow, token));
    }

    public void Dispose() => storage.Dispose();

    [Theory]
    [InlineData(false, 1, 0)]
    [InlineData(true, 0, 1)]
    public async Task ReleasingAHeldListPostTeachesHamAndDeletingItSpam(bool deleted, long ham, long spam)
    {
        await ReviewLearning.LearnAsync(listContent, quarantine, Held(ListContentCheck.HoldReason), deleted, CancellationToken.None);

        Assert.Equal(new TokenCounts(ham, spam), await storage.Tokens.GetTotalsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AReleasedPostIsLearnedFromWhatWasOpenedBeforeTheRelease()
    {
        // The release moves the message out of the quarantine, so the content is opened first.
        await using var content = ReviewLearning.OpenForRelease(listContent, quarantine, Held(ListContentCheck.HoldReason));
        Assert.NotNull(content);

        await ReviewLearning.LearnReleasedAsync(listContent, content, CancellationToken.None);

        Assert.Equal(new TokenCounts(1, 0), await storage.Tokens.GetTotalsAsync(CancellationToken.None));
        Assert.Null(ReviewLearning.OpenForRelease(listContent, quarantine, Held("unknown sender")));
        Assert.Null(ReviewLearning.OpenForRelease(null, quarantine, Held(ListContentCheck.HoldReason)));
    }

    [Fact]
    public async Task MailHeldForAnotherReasonTeachesNothing()
    {
        await ReviewLearning.LearnAsync(listContent, quarantine, Held("unknown sender"), isSpam: true, CancellationToken.None);
        await ReviewLearning.LearnAsync(null, quarantine, Held(ListContentCheck.HoldReason), isSpam: true, CancellationToken.None);

        Assert.Equal(new TokenCounts(0, 0), await storage.Tokens.GetTotalsAsync(CancellationToken.None));
    }

    private static QuarantinedMessage Held(string reason) =>
        new("id1", "dev-bounces@lists.partner.test", ["alice@example.test"], "Weekly deals", reason, DateTimeOffset.UtcNow, 100);

    private sealed class OneMessageQuarantine : IQuarantine
    {
        public Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<QuarantinedMessage?> FindAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Stream? OpenContent(string id) =>
            new MemoryStream(Encoding.UTF8.GetBytes("From: deals@shop.test\r\nSubject: Weekly deals\r\nList-Id: <deals.shop.test>\r\n\r\nThis week's offers.\r\n"));

        public Task<ReleaseResult> ReleaseAsync(string id, bool check, string? forRecipient, CancellationToken cancellationToken) => Task.FromResult(ReleaseResult.Released);

        public bool Delete(string id) => true;
    }
}
