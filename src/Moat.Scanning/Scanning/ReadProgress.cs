namespace Moat.Scanning.Scanning;

/// <summary>How far the furthest reader of one object has got. Several engines read the same object, so the maximum counts, not the sum.</summary>
internal sealed class ReadProgress
{
    private readonly Action<long>? onAdvance;
    private long furthest;

    public ReadProgress(Action<long>? onAdvance = null)
    {
        this.onAdvance = onAdvance;
    }

    public long Furthest => Interlocked.Read(ref furthest);

    public void Report(long position)
    {
        var seen = Interlocked.Read(ref furthest);
        while (position > seen)
        {
            var previous = Interlocked.CompareExchange(ref furthest, position, seen);
            if (previous == seen)
            {
                onAdvance?.Invoke(position);
                return;
            }

            seen = previous;
        }
    }
}
