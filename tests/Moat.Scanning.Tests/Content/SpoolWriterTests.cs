using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Content;

public class SpoolWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(1024)]
    [InlineData(200_000)]
    [InlineData(SpooledContent.MemoryThreshold)]
    [InlineData(SpooledContent.MemoryThreshold + 1)]
    public async Task Gives_back_exactly_what_was_written_in_memory_or_in_a_file(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        await using var session = new WalkSession(new ScanLimits(), new List<LimitViolation>(), null, null);
        await using var writer = new SpoolWriter(session);
        for (var offset = 0; offset < length; offset += 3_001)
        {
            await writer.WriteAsync(data.AsMemory(offset, Math.Min(3_001, length - offset)), CancellationToken.None);
        }

        await using (var written = await writer.OpenWrittenAsync(CancellationToken.None))
        {
            Assert.Equal(data, await ReadAllAsync(written));
        }

        var content = await writer.CompleteAsync();
        Assert.Equal(length, content.Length);
        Assert.Equal(length <= SpooledContent.MemoryThreshold, content.Memory is not null);
        if (content.Memory is { } memory)
        {
            Assert.Equal(data, memory.ToArray());
        }

        await using var stream = await content.OpenAsync(CancellationToken.None);
        Assert.Equal(data, await ReadAllAsync(stream));
    }

    [Fact]
    public async Task In_memory_content_in_several_segments_can_be_sliced()
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        await using var session = new WalkSession(new ScanLimits(), new List<LimitViolation>(), null, null);
        await using var writer = new SpoolWriter(session);
        await writer.WriteAsync(data, CancellationToken.None);
        var slice = (await writer.CompleteAsync()).Slice(1_234);
        Assert.Equal(data[1_234..], slice.Memory!.Value.ToArray());
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
