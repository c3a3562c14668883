using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Content;

public class SegmentedReadStreamTests
{
    [Fact]
    public async Task Reads_the_segments_in_order_up_to_the_length_in_any_read_size()
    {
        byte[][] segments = [[1, 2, 3], [4, 5, 6, 7, 8, 9], [10, 11, 12, 99, 99]];
        var expected = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();
        foreach (var chunk in new[] { 1, 2, 5, 64 })
        {
            using var stream = new SegmentedReadStream(segments, 12);
            var read = new List<byte>();
            var buffer = new byte[chunk];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                read.AddRange(buffer.Take(n));
            }

            Assert.Equal(expected, read);
            Assert.Equal(12, stream.Position);
        }
    }

    [Fact]
    public void Seeks_like_a_memory_stream()
    {
        using var stream = new SegmentedReadStream([[1, 2], [3, 4], [5]], 5);
        Assert.True(stream.CanSeek);
        Assert.Equal(5, stream.Length);
        stream.Position = 3;
        Assert.Equal(4, stream.ReadByte());
        stream.Seek(-4, SeekOrigin.End);
        Assert.Equal(2, stream.ReadByte());
        stream.Seek(1, SeekOrigin.Current);
        Assert.Equal(4, stream.ReadByte());
        stream.Position = 10;
        Assert.Equal(-1, stream.ReadByte());
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Seek(-1, SeekOrigin.Begin));
    }

    [Fact]
    public void An_empty_stream_reads_nothing()
    {
        using var stream = new SegmentedReadStream([], 0);
        Assert.Equal(0, stream.Read(new byte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentedReadStream([[1]], 2));
    }
}
