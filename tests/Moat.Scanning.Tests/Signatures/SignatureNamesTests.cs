using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class SignatureNamesTests
{
    [Fact]
    public void Gives_back_every_name_by_index_after_growing_and_trimming()
    {
        var names = new SignatureNames();
        var expected = Enumerable.Range(0, 3_000).Select(i => i % 7 == 0 ? $"Ünï.{i}" : $"Bench.Hash.{i:0000000}").ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(i, names.Add(expected[i]));
        }

        names.TrimExcess();
        Assert.Equal(expected.Length, names.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], names.Get(i));
        }
    }

    [Fact]
    public void Empty_names_and_out_of_range_indices()
    {
        var names = new SignatureNames();
        names.EnsureCapacity(4, 10);
        Assert.Equal(0, names.Add(""));
        Assert.Equal("", names.Get(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.Get(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.Get(-1));
    }
}
