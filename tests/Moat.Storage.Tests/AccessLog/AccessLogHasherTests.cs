using Moat.Storage.AccessLog;

namespace Moat.Storage.Tests.AccessLog;

/// <summary>The canonical encoding and hash of one entry, independent of any store.</summary>
public sealed class AccessLogHasherTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly AccessLogEntry Entry = new(
        1,
        At,
        "alice@example.org",
        AccessActions.View,
        "08DF4D331CE27ACC023A24661A",
        ["bob@example.com", "alice@example.org"],
        "support ticket 42",
        null,
        AccessLogHasher.GenesisHash,
        string.Empty);

    [Fact]
    public void TheHashIsSha256OfTheDocumentedEncoding()
    {
        // Computed apart from this code (Python, struct.pack and hashlib) from the encoding the
        // class documents, so a change of the encoding cannot go unnoticed.
        Assert.Equal("9d5f0dc8ae893e23ef1a1e61a141bab8460fdfe63572650f175285a1dc5bea44", AccessLogHasher.Compute(Entry));
    }

    [Fact]
    public void TheGenesisIsSixtyFourZeros()
    {
        Assert.Equal(new string('0', 64), AccessLogHasher.GenesisHash);
    }

    [Fact]
    public void TheStoredHashIsNotPartOfWhatIsHashed()
    {
        Assert.Equal(AccessLogHasher.Compute(Entry), AccessLogHasher.Compute(Entry with { Hash = "anything" }));
    }

    [Fact]
    public void EveryFieldChangesTheHash()
    {
        AccessLogEntry[] variants =
        [
            Entry with { Sequence = 2 },
            Entry with { At = At.AddTicks(1) },
            Entry with { Actor = "mallory@example.org" },
            Entry with { Action = AccessActions.Download },
            Entry with { MessageId = "08DF4D331CE27ACC023A24661B" },
            Entry with { MessageId = null },
            Entry with { DataSubjects = ["alice@example.org"] },
            Entry with { DataSubjects = [] },
            Entry with { Reason = "support ticket 43" },
            Entry with { Reason = null },
            Entry with { Detail = "" },
            Entry with { PreviousHash = new string('1', 64) },
        ];

        var hashes = variants.Select(AccessLogHasher.Compute).Append(AccessLogHasher.Compute(Entry)).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void AbsentAndEmptyAreDifferent()
    {
        Assert.NotEqual(AccessLogHasher.Compute(Entry with { Reason = null }), AccessLogHasher.Compute(Entry with { Reason = string.Empty }));
        Assert.NotEqual(AccessLogHasher.Compute(Entry with { MessageId = null }), AccessLogHasher.Compute(Entry with { MessageId = string.Empty }));
        Assert.NotEqual(AccessLogHasher.Compute(Entry with { DataSubjects = [] }), AccessLogHasher.Compute(Entry with { DataSubjects = [string.Empty] }));
    }

    [Fact]
    public void TextCannotMoveAcrossFieldBoundaries()
    {
        // Plain concatenation would make each pair encode alike.
        Assert.NotEqual(
            AccessLogHasher.Compute(Entry with { Actor = "alice@example.orgview", Action = string.Empty }),
            AccessLogHasher.Compute(Entry with { Actor = "alice@example.org", Action = "view" }));
        Assert.NotEqual(
            AccessLogHasher.Compute(Entry with { DataSubjects = ["a@x", "b@y"] }),
            AccessLogHasher.Compute(Entry with { DataSubjects = ["a@xb@y"] }));
        Assert.NotEqual(
            AccessLogHasher.Compute(Entry with { Reason = "why", Detail = null }),
            AccessLogHasher.Compute(Entry with { Reason = null, Detail = "why" }));
    }

    [Fact]
    public void SubjectOrderAndTheTimesOffsetDoNotMatter()
    {
        Assert.Equal(
            AccessLogHasher.Compute(Entry with { DataSubjects = ["alice@example.org", "bob@example.com"] }),
            AccessLogHasher.Compute(Entry with { DataSubjects = ["bob@example.com", "alice@example.org"] }));
        Assert.Equal(
            AccessLogHasher.Compute(Entry),
            AccessLogHasher.Compute(Entry with { At = At.ToOffset(TimeSpan.FromHours(2)) }));
    }

    [Fact]
    public void TextIsEncodedAsUtf8AndALoneSurrogateIsRefused()
    {
        var encoded = AccessLogHasher.Encode(1, At, "jörg@example.org", "view", null, [], null, null, AccessLogHasher.GenesisHash);

        var utf8 = "jörg"u8.ToArray();
        Assert.Contains(Windows(encoded, utf8.Length), window => window.SequenceEqual(utf8));
        Assert.False(AccessLogHasher.IsEncodable("bad \ud800 text"));
        Assert.True(AccessLogHasher.IsEncodable("emoji \ud83d\udce7 fine"));
        Assert.ThrowsAny<System.Text.EncoderFallbackException>(() => AccessLogHasher.Compute(Entry with { Reason = "bad \ud800" }));
    }

    private static IEnumerable<byte[]> Windows(byte[] bytes, int length) =>
        Enumerable.Range(0, bytes.Length - length + 1).Select(i => bytes[i..(i + length)]);
}
