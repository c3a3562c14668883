using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Cli.Configuration;
using Moat.Queue.Dns;
using Moat.Queue.Spool;
using Moat.Storage;
using Moat.Storage.Sqlite;
using Moat.Trust;
using Moat.Trust.Authentication;
using Moat.Trust.Challenges;
using Moat.Trust.Content;
using Moat.Trust.Familiarity;
using Moat.Trust.Filter;
using Moat.Trust.Learning;
using Moat.Trust.Lists;
using Moat.Trust.Quarantine;
using Moat.Trust.Sources;
using Moat.Web.Quarantine;

namespace Moat.Cli.Hosting;



/// <summary>
/// The trust filter and what it stands on: the lists in the data folder's database, sender
/// authentication over the configured DNS servers, familiarity, learning and challenges, whose
/// held mail lives in the queue's hold state and whose replies the web endpoint accepts.
/// </summary>
internal sealed partial class TrustComponents
{
    private static readonly TimeSpan TokenRetention = TimeSpan.FromDays(60);

    private readonly ILogger logger;

    private readonly QuarantineDigest digest;
    private readonly TimeSpan? digestInterval;

    private TrustComponents(TrustFilter filter, ChallengeService challenges, ListContentCheck listContent, ContentLearningQueue learning, QuarantineDigest digest, TimeSpan? digestInterval, SqliteStorage storage, ILogger logger)
    {
        Filter = filter;
        ListContent = listContent.Enabled ? listContent : null;
        Learning = learning;
        Challenges = challenges;
        Storage = storage;
        this.digest = digest;
        this.digestInterval = digestInterval;
        this.logger = logger;
    }

    public TrustFilter Filter { get; }

    public ChallengeService Challenges { get; }

    /// <summary>The content check of trusted lists' posts; null when it is turned off.</summary>
    public ListContentCheck? ListContent { get; }

    /// <summary>Writes what the list content check learned; run it for the gateway's lifetime.</summary>
    public ContentLearningQueue Learning { get; }

    public SqliteStorage Storage { get; }

    /// <summary>The gateway's trust components, on the data folder's database and key and the running queue.</summary>
    /// <param name="releaseLink">The one-click release link of a held message for one recipient, for the digests; null leaves links out.</param>
    /// <param name="releaseCheck">Scans held mail again before a confirmed challenge releases it; null when the antivirus is off.</param>
    public static TrustComponents Create(
        MoatOptions options, SqliteStorage storage, MessageSpool spool, Action nudgeQueue, ILoggerFactory loggerFactory, Func<string, string, Uri>? releaseLink, IReleaseCheck? releaseCheck)
    {
        var secret = ChallengeSecret.LoadOrCreate(Path.Combine(options.DataDirectory, ChallengeSecret.DefaultFileName));
        var contentKey = KeyFile.LoadOrCreate(
            Path.Combine(options.DataDirectory, TokenHasher.DefaultFileName),
            TokenHasher.KeyLength,
            "Delete it to start the list content check's statistics afresh (what it learned is lost).");
        return Build(options, storage, secret, contentKey, new SpoolSystemMailer(spool, options.HostName!, TimeProvider.System), new QueueHeldMail(spool, nudgeQueue, storage.AccessLog, releaseCheck), loggerFactory, releaseLink);
    }

    /// <summary>
    /// Components that are only described (<c>pipeline explain</c>, <c>config check</c>): they
    /// touch nothing on disk, and sending or releasing mail through them is a programming error.
    /// </summary>
    public static TrustComponents CreateForDescription(MoatOptions options) =>
        Build(options, SqliteStorage.OpenInMemory(), new byte[32], new byte[TokenHasher.KeyLength], DetachedQueue.Instance, DetachedQueue.Instance, NullLoggerFactory.Instance, releaseLink: null);

    /// <summary>Sends the quarantine digests every <see cref="Moat.Trust.TrustOptions.DigestInterval"/>, the first one interval after start.</summary>
    public async Task RunDigestsAsync(CancellationToken cancellationToken)
    {
        if (digestInterval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        while (await WaitAsync(timer, cancellationToken))
        {
            try
            {
                await digest.SendAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogDigestFailed(logger, exception);
            }
        }
    }

    /// <summary>Deletes unanswered challenges' held mail and expired list entries, once an hour.</summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await Challenges.ExpireAsync(cancellationToken);
                var removed = await Storage.Trust.RemoveExpiredAsync(DateTimeOffset.UtcNow, cancellationToken);
                if (removed > 0)
                {
                    LogExpiredEntries(logger, removed);
                }

                // Words seen once and not for two months say nothing and would grow the table for ever.
                await Storage.Tokens.PruneAsync(DateTimeOffset.UtcNow - TokenRetention, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogMaintenanceFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TrustComponents Build(MoatOptions options, SqliteStorage storage, byte[] secret, byte[] contentKey, ISystemMailer mailer, IHeldMail heldMail, ILoggerFactory loggerFactory, Func<string, string, Uri>? releaseLink)
    {
        var trust = options.Trust;
        trust.AuthServId ??= options.HostName;
        var dns = DnsClientResolver.CreateLookupClient(new DnsOptions { NameServers = [.. options.Delivery.DnsServers ?? []] });
        var lists = new TrustListCache(storage.Trust, trust.ReloadCheckInterval);
        // Replies to challenges must pass relay control, so their domain is one we accept mail for.
        var challengeDomain = trust.Challenge.Domain ?? options.Relay.AcceptedDomains?.FirstOrDefault() ?? options.HostName!;
        var challenges = new ChallengeService(
            trust.Challenge,
            challengeDomain,
            secret,
            storage.Challenges,
            mailer,
            heldMail,
            lists,
            logger: loggerFactory.CreateLogger<ChallengeService>());
        var learning = new ContentLearningQueue(storage.Tokens, logger: loggerFactory.CreateLogger<ContentLearningQueue>());
        var listContent = new ListContentCheck(trust.ListContent, storage.Tokens, new TokenHasher(contentKey), storage.Familiarity, learning.EnqueueAsync);
        var filter = new TrustFilter(
            trust,
            lists,
            new SenderAuthenticator(new SpfEvaluator(dns), new DkimChecker(dns), new DmarcEvaluator(dns)),
            new FamiliarityTracker(storage.Familiarity, trust.Familiarity),
            new OutboundLearner(lists, trust),
            challenges,
            trust.SenderSystemChecks ? new SenderSystemCheck(dns, CreateSenderSystemOptions(options)) : null,
            trust.Callout.Enabled ? new SenderCallout(dns, CreateCalloutOptions(options), loggerFactory.CreateLogger<SenderCallout>()) : null,
            listContent,
            logger: loggerFactory.CreateLogger<TrustFilter>());
        var digest = new QuarantineDigest(heldMail, mailer, options.HostName!, logger: loggerFactory.CreateLogger<QuarantineDigest>(), releaseLink: releaseLink);
        return new TrustComponents(filter, challenges, listContent, learning, digest, trust.DigestInterval, storage, loggerFactory.CreateLogger<TrustComponents>());
    }

    // A HELO that claims to be this gateway or one of our domains is a classic forgery.
    private static SenderSystemOptions CreateSenderSystemOptions(MoatOptions options) => new()
    {
        LocalHostNames = [options.HostName!],
        LocalDomains = [.. options.Relay.AcceptedDomains ?? []],
    };

    private static SenderCalloutOptions CreateCalloutOptions(MoatOptions options) =>
        options.Trust.Callout.HeloName.Length > 0 ? options.Trust.Callout : options.Trust.Callout with { HeloName = options.HostName! };

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "{Removed} expired allow-list entries removed")]
    private static partial void LogExpiredEntries(ILogger logger, int removed);

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "Sending quarantine digests failed; trying again at the next interval")]
    private static partial void LogDigestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "Trust maintenance failed; trying again in an hour")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception);
}
