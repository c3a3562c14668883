using Moat.Storage.Trust;
using Moat.Trust.Lists;
using Moat.Trust.Messages;

namespace Moat.Trust.Learning;

/// <summary>
/// Learns from mail our users send: every recipient becomes trusted for the sender, so replies
/// come through without anyone confirming anything. Nothing is learned from automatic mail
/// (bounces, auto-replies) or list traffic, which would teach addresses nobody chose to write to.
/// </summary>
public sealed class OutboundLearner(TrustListCache lists, TrustOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public async ValueTask<LearningResult> LearnAsync(string sender, IReadOnlyCollection<string> recipients, MessageTraits traits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(traits);
        if (string.IsNullOrEmpty(sender))
        {
            return LearningResult.Skipped("null sender (a bounce)");
        }

        if (traits.IsAutomatic)
        {
            return LearningResult.Skipped("automatic mail");
        }

        if (traits.IsListTraffic)
        {
            return LearningResult.Skipped("list traffic");
        }

        var owner = sender.ToLowerInvariant();
        var now = clock.GetUtcNow();
        var expires = options.LearnedEntryLifetime is { } lifetime ? now + lifetime : (DateTimeOffset?)null;
        var entries = recipients
            .Select(r => r.ToLowerInvariant())
            .Where(r => r != owner && r.Contains('@'))
            .Distinct()
            .Select(r => new TrustEntry(owner, r, TrustSource.Learned, now, expires))
            .ToArray();

        // An entry someone added by hand or through a challenge keeps its source; learning only adds.
        var snapshot = await lists.GetAsync(cancellationToken).ConfigureAwait(false);
        var fresh = entries.Where(e => snapshot.Find(e.Pattern, [owner], now) is not { } match
            || (match.Entry.Source == TrustSource.Learned && match.Entry.Owner == owner && !match.Entry.IsDomain)).ToArray();
        await lists.AddAsync(fresh, cancellationToken).ConfigureAwait(false);
        return LearningResult.Learned(fresh.Length);
    }
}
