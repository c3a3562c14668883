namespace Moat.Trust.Sources;

/// <summary>
/// Callout answers by sender address, each with its own expiry, bounded to a number of entries
/// with least-recently-used eviction. One lock: every operation is a few pointer moves.
/// </summary>
internal sealed class CalloutCache
{
    private readonly object gate = new();
    private readonly int capacity;
    private readonly Dictionary<string, LinkedListNode<(string Key, CalloutResult Result, DateTimeOffset Expires)>> entries;

    // Most recently used first.
    private readonly LinkedList<(string Key, CalloutResult Result, DateTimeOffset Expires)> order = new();

    public CalloutCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        entries = new Dictionary<string, LinkedListNode<(string, CalloutResult, DateTimeOffset)>>(StringComparer.OrdinalIgnoreCase);
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public bool TryGet(string key, DateTimeOffset now, out CalloutResult result)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                if (node.Value.Expires > now)
                {
                    order.Remove(node);
                    order.AddFirst(node);
                    result = node.Value.Result;
                    return true;
                }

                order.Remove(node);
                entries.Remove(key);
            }
        }

        result = null!;
        return false;
    }

    public void Set(string key, CalloutResult result, DateTimeOffset expires)
    {
        lock (gate)
        {
            if (entries.Remove(key, out var existing))
            {
                order.Remove(existing);
            }

            while (entries.Count >= capacity && order.Last is { } oldest)
            {
                order.RemoveLast();
                entries.Remove(oldest.Value.Key);
            }

            entries[key] = order.AddFirst((key, result, expires));
        }
    }
}
