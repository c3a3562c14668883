using Moat.Scanning.Signatures;

namespace Moat.Scanning.Tests.Signatures;

public class SizeSetTests
{
    [Fact]
    public void Holds_each_size_once_zero_and_the_largest_included()
    {
        var set = new SizeSet();
        Assert.True(set.Add(0));
        Assert.True(set.Add(long.MaxValue));
        Assert.False(set.Add(0));
        Assert.True(set.Contains(0));
        Assert.True(set.Contains(long.MaxValue));
        Assert.False(set.Contains(1));
        Assert.False(set.Contains(-1));
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void Agrees_with_a_hash_set_through_growth_and_trimming()
    {
        var random = new Random(11);
        var set = new SizeSet();
        var reference = new HashSet<long>();
        for (var i = 0; i < 20_000; i++)
        {
            var size = random.NextInt64(0, 50_000);
            Assert.Equal(reference.Add(size), set.Add(size));
        }

        set.TrimExcess();
        Assert.Equal(reference.Count, set.Count);
        for (long size = 0; size < 50_000; size++)
        {
            Assert.Equal(reference.Contains(size), set.Contains(size));
        }
    }
}
