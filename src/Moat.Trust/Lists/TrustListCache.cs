using Moat.Storage.Trust;

namespace Moat.Trust.Lists;

/// <summary>
/// The gateway's view of the allow-lists: a snapshot in memory, reloaded when the store's change
/// stamp moves. Changes made through this cache apply at once; changes by another process (the
/// CLI, another node) within <see cref="TrustOptions.ReloadCheckInterval"/>.
/// </summary>
public sealed class TrustListCache
{
    private readonly ITrustStore store;
    private readonly TimeProvider clock;
    private readonly TimeSpan checkInterval;
    private readonly SemaphoreSlim reloadGate = new(1, 1);
    private volatile TrustListSnapshot snapshot = TrustListSnapshot.Empty;
    private long loadedStamp = long.MinValue;
    private long nextCheck;

    public TrustListCache(ITrustStore store, TimeSpan checkInterval, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        this.checkInterval = checkInterval;
        this.clock = clock ?? TimeProvider.System;
    }

    public ITrustStore Store => store;

    /// <summary>The current snapshot, reloaded first when the store changed since the last check.</summary>
    public async ValueTask<TrustListSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (now < Volatile.Read(ref nextCheck))
        {
            return snapshot;
        }

        await reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (clock.GetTimestamp() >= nextCheck)
            {
                var stamp = await store.GetChangeStampAsync(cancellationToken).ConfigureAwait(false);
                if (stamp != loadedStamp)
                {
                    snapshot = new TrustListSnapshot(await store.ListAsync(null, cancellationToken).ConfigureAwait(false));
                    loadedStamp = stamp;
                }

                Volatile.Write(ref nextCheck, clock.GetTimestamp() + (long)(checkInterval.TotalSeconds * clock.TimestampFrequency));
            }

            return snapshot;
        }
        finally
        {
            reloadGate.Release();
        }
    }

    /// <summary>Adds entries through the store and makes the next lookup reload.</summary>
    public async ValueTask AddAsync(IReadOnlyCollection<TrustEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await store.AddRangeAsync(entries, cancellationToken).ConfigureAwait(false);
        Invalidate();
    }

    /// <summary>Makes the next lookup check the store again.</summary>
    public void Invalidate() => Volatile.Write(ref nextCheck, 0);
}
