using System.Text;
using MimeKit;
using Moat.Storage.Trust;

namespace Moat.Trust.Content;

/// <summary>
/// Scores the posts of trusted mailing lists, whose allow-list entry cannot tell the list's good
/// posts from the spam it distributes, and learns what ham and spam look like from the trust
/// decisions: authenticated correspondents' mail is ham, forgeries and DMARC rejects are spam, and
/// list posts the classifier is sure about are ham. A post is held when it scores at least
/// <see cref="ListContentOptions.SpamScore"/>, or <see cref="ListContentOptions.FirstPostScore"/>
/// for an author the list never delivered before.
/// </summary>
public sealed class ListContentCheck
{
    /// <summary>The hold reason of list posts held by the content check.</summary>
    public const string HoldReason = "list post looks like spam";

    /// <summary>List posts scoring at most this are learned as ham.</summary>
    public const double LearnHamBelow = 0.2;

    private readonly ListContentOptions options;
    private readonly ITokenStore store;
    private readonly TokenHasher hasher;
    private readonly IFamiliarityStore posters;
    private readonly Func<TokenTraining, CancellationToken, ValueTask> learn;
    private readonly TimeProvider clock;

    /// <param name="learn">Where learned messages go: the gateway batches them (<see cref="ContentLearningQueue"/>).</param>
    public ListContentCheck(
        ListContentOptions options,
        ITokenStore store,
        TokenHasher hasher,
        IFamiliarityStore posters,
        Func<TokenTraining, CancellationToken, ValueTask> learn,
        TimeProvider? clock = null)
    {
        this.options = options;
        this.store = store;
        this.hasher = hasher;
        this.posters = posters;
        this.learn = learn;
        this.clock = clock ?? TimeProvider.System;
    }

    public bool Enabled => options.Enabled;

    /// <param name="listAddress">The list's posting address (or the entry that trusted it).</param>
    /// <param name="author">The post's From address when it is not the list's own; null when unknown.</param>
    public async ValueTask<ListPostJudgement> JudgeAsync(Stream message, string listAddress, string? author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await TokensAsync(message, cancellationToken).ConfigureAwait(false) is not { } tokens)
        {
            return new ListPostJudgement(null, FirstPost: false, Hold: false);
        }

        var totals = await store.GetTotalsAsync(cancellationToken).ConfigureAwait(false);
        var counts = await store.GetCountsAsync(tokens, cancellationToken).ConfigureAwait(false);
        var score = ContentClassifier.Score(counts.Values, totals);
        var poster = author is null ? null : (listAddress + " " + author).ToLowerInvariant();
        var firstPost = poster is not null && await posters.GetCountAsync(FamiliarityKind.ListPoster, poster, cancellationToken).ConfigureAwait(false) == 0;
        var hold = score is { } s && (s >= options.SpamScore || (firstPost && s >= options.FirstPostScore));
        if (!hold)
        {
            if (poster is not null)
            {
                await posters.RecordGoodMailAsync([(FamiliarityKind.ListPoster, poster)], clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            // Learning from its own confident verdicts teaches the classifier what the lists talk about.
            if (score <= LearnHamBelow)
            {
                await learn(new TokenTraining(tokens, IsSpam: false), cancellationToken).ConfigureAwait(false);
            }
        }

        return new ListPostJudgement(score, firstPost, hold);
    }

    /// <summary>Learns a message the trust decision or a person judged.</summary>
    public async ValueTask LearnAsync(Stream message, bool isSpam, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await TokensAsync(message, cancellationToken).ConfigureAwait(false) is { } tokens)
        {
            await learn(new TokenTraining(tokens, isSpam), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The message's hashed tokens, or null when it cannot be read as MIME at all: such a message is
    /// neither held nor learned, since a check that only adds to the trust decision must not make
    /// mail undeliverable.
    /// </summary>
    private async Task<long[]?> TokensAsync(Stream message, CancellationToken cancellationToken)
    {
        try
        {
            return hasher.Hash(await ContentTokenizer.ReadAsync(message, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is FormatException or ParseException or DecoderFallbackException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
