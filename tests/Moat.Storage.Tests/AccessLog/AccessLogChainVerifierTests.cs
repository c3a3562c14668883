using Moat.Storage.AccessLog;

namespace Moat.Storage.Tests.AccessLog;

/// <summary>The chain rules on entries built in memory: what counts as a break and which break is reported.</summary>
public sealed class AccessLogChainVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnEmptyLogIsIntactWithTheGenesisAsHead()
    {
        var result = new AccessLogChainVerifier(0, AccessLogHasher.GenesisHash).Finish(0, AccessLogHasher.GenesisHash);

        Assert.Equal(new AccessLogVerification(true, 0, null, null, AccessLogHasher.GenesisHash), result);
    }

    [Fact]
    public void AWellFormedChainIsIntact()
    {
        var chain = Chain(5);

        var result = Verify(chain);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(5, result.EntriesChecked);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
    }

    [Fact]
    public void AnEditedEntryIsTheFirstBreak()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Reason = "edited" };

        var result = Verify(chain);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal("entry #3: contents do not match its hash", result.Problem);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public void AnEntryEditedWithItsHashRecomputedBreaksTheLinkOfTheNext()
    {
        var chain = Chain(5);
        var edited = chain[2] with { Reason = "edited" };
        chain[2] = edited with { Hash = AccessLogHasher.Compute(edited) };

        var result = Verify(chain);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal("entry #4: previous hash does not match #3", result.Problem);
    }

    [Fact]
    public void AMissingEntryIsNamed()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        var result = Verify(chain);

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Equal("entry #2 missing", result.Problem);
    }

    [Fact]
    public void MissingNewestEntriesAreFoundThroughTheRecordedHead()
    {
        var chain = Chain(5);
        var verifier = new AccessLogChainVerifier(0, AccessLogHasher.GenesisHash);
        foreach (var entry in chain.Take(3))
        {
            verifier.Add(entry);
        }

        var result = verifier.Finish(5, chain[^1].Hash);

        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal("entry #4 missing (the log's newest entry is #5)", result.Problem);
    }

    [Fact]
    public void AMissingHeadRecordIsAProblemWithoutAnEntry()
    {
        var verifier = new AccessLogChainVerifier(0, AccessLogHasher.GenesisHash);
        foreach (var entry in Chain(2))
        {
            verifier.Add(entry);
        }

        var result = verifier.Finish(null, null);

        Assert.False(result.Intact);
        Assert.Null(result.FirstBrokenSequence);
        Assert.Contains("record of the log's newest entry is missing", result.Problem);
    }

    [Fact]
    public void TheFirstEntryMustStartFromTheGenesis()
    {
        var forged = Entry(1, AccessLogHasher.Compute(Entry(0, AccessLogHasher.GenesisHash)));

        var result = Verify([forged]);

        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Equal("entry #1: previous hash is not the start of the log", result.Problem);
    }

    private static AccessLogVerification Verify(IReadOnlyList<AccessLogEntry> chain)
    {
        var verifier = new AccessLogChainVerifier(0, AccessLogHasher.GenesisHash);
        foreach (var entry in chain)
        {
            verifier.Add(entry);
        }

        return verifier.Finish(chain.Count == 0 ? 0 : chain.Max(e => e.Sequence), chain.Count == 0 ? AccessLogHasher.GenesisHash : chain.MaxBy(e => e.Sequence)!.Hash);
    }

    private static List<AccessLogEntry> Chain(int count)
    {
        var entries = new List<AccessLogEntry>();
        var previous = AccessLogHasher.GenesisHash;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var entry = Entry(sequence, previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    private static AccessLogEntry Entry(long sequence, string previous)
    {
        var entry = new AccessLogEntry(sequence, Start.AddMinutes(sequence), "alice@example.org", AccessActions.View, $"M{sequence}", ["bob@example.com"], null, null, previous, string.Empty);
        return entry with { Hash = AccessLogHasher.Compute(entry) };
    }
}
