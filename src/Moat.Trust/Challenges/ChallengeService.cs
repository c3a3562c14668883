using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Storage.Trust;
using Moat.Trust;
using Moat.Trust.Lists;

namespace Moat.Trust.Challenges;

/// <summary>
/// Sends challenges and honours answers. An answer (a reply to the signed address or the link)
/// releases every message held from that sender and trusts the sender for their recipients.
/// Whether a sender may be challenged at all is <see cref="ChallengeEligibility"/>'s decision.
/// </summary>
public sealed partial class ChallengeService
{
    /// <summary>The hold reason of messages waiting for their sender's answer.</summary>
    public const string HoldReason = "awaiting sender confirmation";

    private readonly ChallengeOptions options;
    private readonly ChallengeComposer composer;
    private readonly byte[] secret;
    private readonly IChallengeStore store;
    private readonly ISystemMailer mailer;
    private readonly IHeldMail heldMail;
    private readonly TrustListCache lists;
    private readonly TimeProvider clock;
    private readonly ILogger logger;

    public ChallengeService(
        ChallengeOptions options,
        string defaultDomain,
        byte[] secret,
        IChallengeStore store,
        ISystemMailer mailer,
        IHeldMail heldMail,
        TrustListCache lists,
        TimeProvider? clock = null,
        ILogger<ChallengeService>? logger = null)
    {
        this.options = options;
        composer = new ChallengeComposer(options, defaultDomain);
        this.secret = secret;
        this.store = store;
        this.mailer = mailer;
        this.heldMail = heldMail;
        this.lists = lists;
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ChallengeService>.Instance;
    }

    /// <summary>The domain challenge addresses use.</summary>
    public string AddressDomain => composer.Domain;

    /// <summary>Sends a challenge unless the sender already had their share today.</summary>
    public async ValueTask<ChallengeOutcome> ChallengeAsync(ChallengeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var sender = request.Sender.ToLowerInvariant();
        if (await store.CountSentSinceAsync(sender, now.AddDays(-1), cancellationToken).ConfigureAwait(false) >= options.MaxPerSenderPerDay)
        {
            LogRateLimited(logger, sender);
            return ChallengeOutcome.RateLimited;
        }

        var token = ChallengeToken.Create(secret, now + options.HoldTime);
        var message = composer.Compose(request, token, now);
        await store.AddAsync(new ChallengeRecord(token.Id, sender, request.Recipient.ToLowerInvariant(), now), cancellationToken).ConfigureAwait(false);
        await mailer.SendAsync(request.Sender, (stream, ct) => message.WriteToAsync(stream, ct), cancellationToken).ConfigureAwait(false);
        LogSent(logger, sender, request.Recipient);
        return ChallengeOutcome.Sent;
    }

    /// <summary>Recognises a challenge address among recipients: the local part is ours and carries a token.</summary>
    public bool IsChallengeAddress(string address) => TokenFromAddress(address) is not null;

    /// <summary>A challenge address whose token is genuine and not past its day (whether it was answered is not checked).</summary>
    public bool IsValidChallengeAddress(string address, DateTimeOffset now) =>
        TokenFromAddress(address) is { } token && ChallengeToken.Verify(secret, token, now) is not null;

    /// <summary>Answers the challenge behind a reply address (<c>confirm+TOKEN@domain</c>).</summary>
    public ValueTask<ConfirmationResult> ConfirmAddressAsync(string address, CancellationToken cancellationToken) =>
        ConfirmAsync(TokenFromAddress(address) ?? string.Empty, cancellationToken);

    /// <summary>Answers the challenge behind a token (from the link or a reply address).</summary>
    public async ValueTask<ConfirmationResult> ConfirmAsync(string tokenText, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = ChallengeToken.Verify(secret, tokenText, now);
        var record = token is null ? null : await store.FindAsync(token.Id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new ConfirmationResult(ConfirmationStatus.Invalid);
        }

        if (!await store.ConfirmAsync(record.Id, now, cancellationToken).ConfigureAwait(false))
        {
            return new ConfirmationResult(ConfirmationStatus.AlreadyConfirmed, record.Sender);
        }

        var recipients = await heldMail.ReleaseFromAsync(record.Sender, HoldReason, cancellationToken).ConfigureAwait(false);
        var owners = recipients.Append(record.Recipient).Select(r => r.ToLowerInvariant()).Distinct().ToArray();
        await lists.AddAsync(
            owners.Select(owner => new TrustEntry(owner, record.Sender, TrustSource.Challenge, now)).ToArray(),
            cancellationToken).ConfigureAwait(false);
        LogConfirmed(logger, record.Sender, recipients.Count);
        return new ConfirmationResult(ConfirmationStatus.Confirmed, record.Sender, recipients.Count);
    }

    /// <summary>Deletes held mail nobody confirmed in time, without a bounce, and forgets old challenges.</summary>
    public async ValueTask<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.HoldTime;
        var deleted = await heldMail.DeleteHeldBeforeAsync(HoldReason, cutoff, cancellationToken).ConfigureAwait(false);
        await store.RemoveOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            LogExpired(logger, deleted, options.HoldTime.TotalDays);
        }

        return deleted;
    }

    private string? TokenFromAddress(string address)
    {
        var at = address.LastIndexOf('@');
        var prefix = options.LocalPart + "+";
        if (at <= prefix.Length
            || !address[..at].StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || !address[(at + 1)..].TrimEnd('.').Equals(AddressDomain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return address[prefix.Length..at];
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "challenge sent to {Sender} for a message to {Recipient}")]
    private static partial void LogSent(ILogger logger, string sender, string recipient);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "challenge not sent: {Sender} was challenged enough today; the message stays held")]
    private static partial void LogRateLimited(ILogger logger, string sender);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "challenge answered by {Sender}: {Released} held messages released, sender trusted")]
    private static partial void LogConfirmed(ILogger logger, string sender, int released);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "{Deleted} held messages expired unconfirmed after {Days} days and were deleted without a bounce")]
    private static partial void LogExpired(ILogger logger, int deleted, double days);
}
