using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class HashSignatureSetTests
{
    [Theory]
    [InlineData(HashSignatureKind.Md5)]
    [InlineData(HashSignatureKind.Sha1)]
    [InlineData(HashSignatureKind.Sha256)]
    public void Finds_every_signature_by_size_and_digest_and_nothing_else(HashSignatureKind kind)
    {
        var random = new Random(3);
        var set = new HashSignatureSet(kind);
        var length = HashSignatureSet.DigestLength(kind);
        var entries = Enumerable.Range(0, 5_000).Select(i => (Size: (long)random.Next(0, 2_000), Digest: RandomBytes(random, length), Name: $"Test.Sig-{i}")).ToArray();
        foreach (var (size, digest, name) in entries)
        {
            set.Add(size, digest, name);
        }

        set.TrimExcess();
        Assert.Equal(entries.Length, set.Count);
        foreach (var (size, digest, name) in entries)
        {
            Assert.Equal(name, set.Find(size, digest));
            Assert.True(set.MayMatchSize(size));
            Assert.Null(set.Find(size + 2_000, digest));
        }

        Assert.Null(set.Find(entries[0].Size, RandomBytes(random, length)));
        Assert.False(set.MayMatchSize(2_000));
        Assert.False(set.HasAnySize);
    }

    [Fact]
    public void A_duplicate_keeps_the_first_name()
    {
        var set = new HashSignatureSet(HashSignatureKind.Md5);
        var digest = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        set.Add(68, digest, "First");
        set.Add(68, digest, "Second");
        set.Add(69, digest, "Other size");
        Assert.Equal(2, set.Count);
        Assert.Equal("First", set.Find(68, digest));
        Assert.Equal("Other size", set.Find(69, digest));
    }

    [Fact]
    public void Any_size_signatures_match_every_length_but_exact_ones_win()
    {
        var set = new HashSignatureSet(HashSignatureKind.Sha256);
        var digest = new byte[32];
        digest[31] = 1;
        set.Add(HashSignatureSet.AnySize, digest, "Any");
        Assert.True(set.HasAnySize);
        Assert.True(set.MayMatchSize(12_345));
        Assert.Equal("Any", set.Find(12_345, digest));
        set.Add(10, digest, "Exact");
        Assert.Equal("Exact", set.Find(10, digest));
        Assert.Equal("Any", set.Find(11, digest));
    }

    [Fact]
    public void Names_keep_non_ascii_characters()
    {
        var set = new HashSignatureSet(HashSignatureKind.Md5);
        var digest = new byte[16];
        set.Add(1, digest, "Trojan.Ünïcode-名前");
        Assert.Equal("Trojan.Ünïcode-名前", set.Find(1, digest));
    }

    [Fact]
    public void Growing_past_a_reserved_capacity_and_trimming_keep_every_entry()
    {
        var set = new HashSignatureSet(HashSignatureKind.Md5);
        set.EnsureCapacity(10);
        var random = new Random(9);
        var digests = Enumerable.Range(0, 1_000).Select(_ => RandomBytes(random, 16)).ToArray();
        for (var i = 0; i < digests.Length; i++)
        {
            set.Add(i, digests[i], "N" + i);
        }

        var before = set.AllocatedBytes;
        set.TrimExcess();
        Assert.True(set.AllocatedBytes <= before);
        for (var i = 0; i < digests.Length; i++)
        {
            Assert.Equal("N" + i, set.Find(i, digests[i]));
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
