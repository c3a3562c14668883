using System.Net;
using Moat.Storage.Trust;

namespace Moat.Trust.Familiarity;

/// <summary>
/// Counts good mail per sender address, sender domain and client address, and says when a sender
/// has become familiar. Only authenticated, aligned mail that was delivered is counted, so a
/// forger cannot build up familiarity under somebody else's name.
/// </summary>
public sealed class FamiliarityTracker(IFamiliarityStore store, FamiliarityOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <returns>Why the sender is familiar, or null when no counter reached its threshold.</returns>
    public async ValueTask<string?> FindReasonAsync(string sender, IPAddress client, CancellationToken cancellationToken)
    {
        if (!options.Enabled || string.IsNullOrEmpty(sender))
        {
            return null;
        }

        foreach (var (kind, key, threshold) in Counters(sender, client))
        {
            if (threshold <= 0)
            {
                continue;
            }

            var count = await store.GetCountAsync(kind, key, cancellationToken).ConfigureAwait(false);
            if (count >= threshold)
            {
                return $"{count} good messages from {Describe(kind)} {key} (threshold {threshold})";
            }
        }

        return null;
    }

    public async ValueTask RecordGoodMailAsync(string sender, IPAddress client, CancellationToken cancellationToken)
    {
        if (!options.Enabled || string.IsNullOrEmpty(sender))
        {
            return;
        }

        var counters = Counters(sender, client).Select(c => (c.Kind, c.Key)).ToArray();
        await store.RecordGoodMailAsync(counters, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<(FamiliarityKind Kind, string Key, long Threshold)> Counters(string sender, IPAddress client)
    {
        var address = sender.ToLowerInvariant();
        yield return (FamiliarityKind.SenderAddress, address, options.SenderAddressThreshold);
        yield return (FamiliarityKind.SenderDomain, address[(address.LastIndexOf('@') + 1)..], options.SenderDomainThreshold);
        yield return (FamiliarityKind.ClientAddress, client.ToString(), options.ClientAddressThreshold);
    }

    private static string Describe(FamiliarityKind kind) => kind switch
    {
        FamiliarityKind.SenderAddress => "sender",
        FamiliarityKind.SenderDomain => "domain",
        _ => "host",
    };
}
