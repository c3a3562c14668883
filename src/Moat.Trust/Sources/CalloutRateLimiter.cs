namespace Moat.Trust.Sources;

/// <summary>
/// At most N probes per domain in a sliding window, so that mail claiming to come from one domain
/// cannot make us hammer that domain's servers. The table of domains is bounded too; when it is
/// full of domains still inside their window, a new domain is refused rather than an old one
/// forgotten, because forgetting would reset that domain's count.
/// </summary>
internal sealed class CalloutRateLimiter
{
    private readonly object gate = new();
    private readonly int maxPerWindow;
    private readonly TimeSpan window;
    private readonly int maxDomains;
    private readonly Dictionary<string, Queue<DateTimeOffset>> starts = new(StringComparer.OrdinalIgnoreCase);

    public CalloutRateLimiter(int maxPerWindow, TimeSpan window, int maxDomains)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDomains, 1);
        this.maxPerWindow = maxPerWindow;
        this.window = window;
        this.maxDomains = maxDomains;
    }

    /// <summary>Takes one probe for <paramref name="domain"/> if the window has room.</summary>
    public bool TryAcquire(string domain, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!starts.TryGetValue(domain, out var queue))
            {
                if (starts.Count >= maxDomains)
                {
                    Purge(now);
                    if (starts.Count >= maxDomains)
                    {
                        return false;
                    }
                }

                queue = new Queue<DateTimeOffset>();
                starts[domain] = queue;
            }

            Expire(queue, now);
            if (queue.Count >= maxPerWindow)
            {
                return false;
            }

            queue.Enqueue(now);
            return true;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        foreach (var (domain, queue) in starts)
        {
            Expire(queue, now);
            if (queue.Count == 0)
            {
                starts.Remove(domain);
            }
        }
    }

    private void Expire(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.TryPeek(out var start) && start + window <= now)
        {
            queue.Dequeue();
        }
    }
}
