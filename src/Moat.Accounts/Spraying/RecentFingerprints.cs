namespace Moat.Accounts.Spraying;

/// <summary>The last few 64-bit keyed fingerprints seen, in a fixed ring: constant memory per entry.</summary>
internal sealed class RecentFingerprints(int capacity)
{
    private readonly ulong[] ring = new ulong[capacity];
    private int count;
    private int next;

    /// <summary>Remembers the fingerprint; true when it was not among the recent ones.</summary>
    public bool Note(ulong fingerprint)
    {
        if (Contains(fingerprint))
        {
            return false;
        }

        ring[next] = fingerprint;
        next = (next + 1) % ring.Length;
        count = Math.Min(count + 1, ring.Length);
        return true;
    }

    public bool Contains(ulong fingerprint) => Array.IndexOf(ring, fingerprint, 0, count) >= 0;

    public void Clear()
    {
        count = 0;
        next = 0;
    }
}
