namespace Moat.Storage.AccessLog;

/// <summary>
/// Checks entries fed to it in sequence order against the chain rules: contiguous sequence
/// numbers from the anchor on, each hash recomputed, each previous hash equal to the hash before
/// (the anchor's for the first). Remembers the first break and keeps counting after it.
/// </summary>
internal sealed class AccessLogChainVerifier
{
    private readonly long anchorSequence;
    private readonly string anchorHash;
    private long expectedSequence;
    private string expectedPreviousHash;
    private (long Entry, long Sequence, string Hash)? lastPurge;

    public AccessLogChainVerifier(long anchorSequence, string anchorHash)
    {
        this.anchorSequence = anchorSequence;
        this.anchorHash = anchorHash;
        expectedSequence = anchorSequence + 1;
        expectedPreviousHash = anchorHash;
        LastSequence = anchorSequence;
        LastHash = anchorHash;
    }

    public long EntriesChecked { get; private set; }

    public long? FirstBrokenSequence { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The sequence of the last entry fed (the anchor's before any).</summary>
    public long LastSequence { get; private set; }

    /// <summary>The stored hash of the last entry fed (the anchor's before any).</summary>
    public string LastHash { get; private set; }

    public void Add(AccessLogEntry entry)
    {
        EntriesChecked++;
        LastSequence = entry.Sequence;
        LastHash = entry.Hash;
        if (Problem is not null)
        {
            return;
        }

        var sequence = entry.Sequence;
        if (sequence <= anchorSequence)
        {
            Break(sequence, $"entry #{sequence}: lies at or before the purge anchor (#{anchorSequence}), so it should have been purged");
        }
        else if (sequence != expectedSequence)
        {
            Break(expectedSequence, $"entry #{expectedSequence} missing");
        }
        else if (!HashMatches(entry))
        {
            Break(sequence, $"entry #{sequence}: contents do not match its hash");
        }
        else if (!string.Equals(entry.PreviousHash, expectedPreviousHash, StringComparison.Ordinal))
        {
            Break(sequence, sequence == anchorSequence + 1
                ? anchorSequence == 0
                    ? $"entry #{sequence}: previous hash is not the start of the log"
                    : $"entry #{sequence}: previous hash does not match the purge anchor (#{anchorSequence})"
                : $"entry #{sequence}: previous hash does not match #{sequence - 1}");
        }
        else
        {
            if (entry.Action == AccessActions.Purge && AccessLogPurgeDetail.TryParseAnchor(entry.Detail, out var purgedTo, out var purgedHash))
            {
                lastPurge = (sequence, purgedTo, purgedHash);
            }

            expectedSequence = sequence + 1;
            expectedPreviousHash = entry.Hash;
        }
    }

    /// <summary>
    /// The result, after the checks that need the whole walk: the recorded head (which catches the
    /// newest entries deleted) and the anchor against what the last purge entry recorded (which
    /// catches the oldest entries deleted with the anchor moved after them).
    /// </summary>
    /// <param name="headSequence">The sequence the log records as its newest; null when that record is missing.</param>
    public AccessLogVerification Finish(long? headSequence, string? headHash)
    {
        var problems = new List<(long? Sequence, string Problem)>();
        if (Problem is not null)
        {
            problems.Add((FirstBrokenSequence, Problem));
        }

        if (lastPurge is { } purge)
        {
            if (purge.Sequence < anchorSequence)
            {
                problems.Add((purge.Sequence + 1, $"entries #{purge.Sequence + 1} to #{anchorSequence} missing: the purge anchor was moved on from #{purge.Sequence}, where purge entry #{purge.Entry} left it"));
            }
            else if (purge.Sequence != anchorSequence || !string.Equals(purge.Hash, anchorHash, StringComparison.Ordinal))
            {
                problems.Add((anchorSequence + 1, $"entry #{anchorSequence + 1}: the purge anchor (#{anchorSequence}) is not the one purge entry #{purge.Entry} left (#{purge.Sequence})"));
            }
        }
        else if (anchorSequence > 0 && Problem is null)
        {
            // Without a break the last purge entry would have been seen; none means it was removed
            // along with the entries before it.
            problems.Add((anchorSequence + 1, $"entry #{anchorSequence + 1}: the purge anchor (#{anchorSequence}) is confirmed by no purge entry, so entries before it may have been removed"));
        }

        if (Problem is null)
        {
            if (headSequence is not { } head)
            {
                problems.Add((null, $"the record of the log's newest entry is missing, so entries after #{LastSequence} may have been removed"));
            }
            else if (head > LastSequence)
            {
                problems.Add((LastSequence + 1, $"entry #{LastSequence + 1} missing (the log's newest entry is #{head})"));
            }
            else if (head < LastSequence)
            {
                problems.Add((head + 1, $"entry #{head + 1}: comes after the log's recorded newest entry (#{head})"));
            }
            else if (!string.Equals(headHash, LastHash, StringComparison.Ordinal))
            {
                problems.Add((head, $"entry #{head}: does not match the log's record of its newest entry"));
            }
        }

        if (problems.Count == 0)
        {
            return new AccessLogVerification(true, EntriesChecked, null, null, LastHash);
        }

        // The earliest break is the one before which everything can be trusted; a problem that
        // names no entry comes last.
        var first = problems.OrderBy(p => p.Sequence ?? long.MaxValue).First();
        return new AccessLogVerification(false, EntriesChecked, first.Sequence, first.Problem, LastHash);
    }

    private static bool HashMatches(AccessLogEntry entry)
    {
        try
        {
            return string.Equals(AccessLogHasher.Compute(entry), entry.Hash, StringComparison.Ordinal);
        }
        catch (System.Text.EncoderFallbackException)
        {
            return false;
        }
    }

    private void Break(long sequence, string problem)
    {
        FirstBrokenSequence = sequence;
        Problem = problem;
    }
}
