using System.Diagnostics.CodeAnalysis;

namespace Moat.Accounts.Spraying;

/// <summary>
/// A dictionary of at most <c>capacity</c> entries that forgets the least recently used one, so
/// per-source and per-account state stays bounded however many addresses an attacker uses.
/// Not thread-safe: the detector holds its lock.
/// </summary>
internal sealed class LruMap<TKey, TValue>
    where TKey : notnull
{
    private readonly int capacity;
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> index;
    private readonly LinkedList<KeyValuePair<TKey, TValue>> order = new();

    public LruMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        this.capacity = capacity;
        index = new Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>>(Math.Min(capacity, 1024));
    }

    public int Count => index.Count;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (index.TryGetValue(key, out var node))
        {
            Touch(node);
            value = node.Value.Value;
            return true;
        }

        value = default;
        return false;
    }

    public TValue GetOrAdd(TKey key, Func<TValue> create)
    {
        if (TryGetValue(key, out var value))
        {
            return value;
        }

        value = create();
        Insert(key, value);
        return value;
    }

    public void Set(TKey key, TValue value)
    {
        if (index.TryGetValue(key, out var node))
        {
            node.Value = new KeyValuePair<TKey, TValue>(key, value);
            Touch(node);
            return;
        }

        Insert(key, value);
    }

    public bool Remove(TKey key)
    {
        if (!index.Remove(key, out var node))
        {
            return false;
        }

        order.Remove(node);
        return true;
    }

    private void Insert(TKey key, TValue value)
    {
        if (capacity == 0)
        {
            return;
        }

        while (index.Count >= capacity)
        {
            var oldest = order.Last!;
            order.RemoveLast();
            index.Remove(oldest.Value.Key);
        }

        index[key] = order.AddFirst(new KeyValuePair<TKey, TValue>(key, value));
    }

    private void Touch(LinkedListNode<KeyValuePair<TKey, TValue>> node)
    {
        if (node != order.First)
        {
            order.Remove(node);
            order.AddFirst(node);
        }
    }
}
