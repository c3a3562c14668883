using System.Security.Cryptography;
using Moat.Accounts.Popularity;

namespace Moat.Accounts.Tests.Popularity;

public sealed class CountMinSketchTests
{
    [Fact]
    public void EstimateIsTheCountWithoutCollisions()
    {
        var sketch = new CountMinSketch(4, 1 << 16);
        var a = Hash("a");
        var b = Hash("b");

        sketch.Add(a, 3);
        sketch.Add(b, 1);
        sketch.Add(a, 2);

        Assert.Equal(5u, sketch.Estimate(a));
        Assert.Equal(1u, sketch.Estimate(b));
        Assert.Equal(0u, sketch.Estimate(Hash("c")));
    }

    [Fact]
    public void EstimateNeverUndercountsUnderCollisions()
    {
        // 2 × 8 counters for 200 items: nearly every counter is shared.
        var sketch = new CountMinSketch(2, 8);
        var counts = Enumerable.Range(0, 200).ToDictionary(i => i, i => i % 7);
        foreach (var (item, count) in counts)
        {
            sketch.Add(Hash(item.ToString()), count);
        }

        foreach (var (item, count) in counts)
        {
            Assert.True(sketch.Estimate(Hash(item.ToString())) >= count);
        }
    }

    [Fact]
    public void CountersNeverGoBelowZero()
    {
        var sketch = new CountMinSketch(3, 1024);
        var a = Hash("a");

        sketch.Add(a, 1);
        sketch.Add(a, -5);

        Assert.Equal(0u, sketch.Estimate(a));
        Assert.All(sketch.ToArray(), c => Assert.Equal(0u, c));
    }

    [Fact]
    public void CountersSaturateInsteadOfWrapping()
    {
        var sketch = new CountMinSketch(2, 16);
        var a = Hash("a");

        sketch.Add(a, int.MaxValue);
        sketch.Add(a, int.MaxValue);
        sketch.Add(a, int.MaxValue);

        Assert.Equal(uint.MaxValue, sketch.Estimate(a));
    }

    [Fact]
    public void RoundTripsThroughAnArray()
    {
        var sketch = new CountMinSketch(4, 1000);
        for (var i = 0; i < 500; i++)
        {
            sketch.Add(Hash(i.ToString()), i % 5 + 1);
        }

        var counters = sketch.ToArray();
        var copy = CountMinSketch.FromArray(4, 1000, counters);

        Assert.Equal(4, copy.Depth);
        Assert.Equal(1000, copy.Width);
        Assert.Equal(counters, copy.ToArray());
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(sketch.Estimate(Hash(i.ToString())), copy.Estimate(Hash(i.ToString())));
        }

        // The copy is its own: changing the array or the original does not change it.
        counters[0] = 12345;
        sketch.Add(Hash("0"), 100);
        Assert.NotEqual(sketch.Estimate(Hash("0")), copy.Estimate(Hash("0")));
    }

    [Fact]
    public void FromArrayRefusesTheWrongLength() =>
        Assert.Throws<ArgumentException>(() => CountMinSketch.FromArray(4, 1000, new uint[3999]));

    [Fact]
    public void RefusesShortHashesAndBadDimensions()
    {
        var sketch = new CountMinSketch(2, 16);
        Assert.Throws<ArgumentException>(() => sketch.Add(new byte[15], 1));
        Assert.Throws<ArgumentException>(() => sketch.Estimate(new byte[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CountMinSketch(0, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CountMinSketch(4, 0));
    }

    [Fact]
    public void MemoryIsFourBytesPerCounter() =>
        Assert.Equal(4L * (1 << 20) * 4, new CountMinSketch(4, 1 << 20).MemoryBytes);

    [Fact]
    public void HalvingRoundsDown()
    {
        var sketch = new CountMinSketch(4, 1 << 12);
        var a = Hash("a");
        var b = Hash("b");
        sketch.Add(a, 9);
        sketch.Add(b, 1);

        sketch.Halve();

        Assert.Equal(4u, sketch.Estimate(a));
        Assert.Equal(0u, sketch.Estimate(b));
    }

    [Fact]
    public void RowsOfOneItemUseDifferentColumnsWithAPowerOfTwoWidth()
    {
        var sketch = new CountMinSketch(8, 1 << 10);
        for (var i = 0; i < 1000; i++)
        {
            sketch.Clear();
            sketch.Add(Hash(i.ToString()), 1);
            var counters = sketch.ToArray();
            var columns = Enumerable.Range(0, 8).Select(row => Array.IndexOf(counters, 1u, row * 1024, 1024) - (row * 1024)).ToArray();
            Assert.Equal(8, columns.Distinct().Count());
        }
    }

    [Fact]
    public void ConcurrentAddsAreNotLost()
    {
        var sketch = new CountMinSketch(4, 64);
        var a = Hash("a");

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sketch.Add(a, 1);
            }
        });

        Assert.Equal(80_000u, sketch.Estimate(a));
    }

    private static byte[] Hash(string text) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
}
