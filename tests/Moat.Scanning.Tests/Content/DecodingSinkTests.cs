using System.Text;
using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Content;

public class DecodingSinkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(57)]
    [InlineData(3_000)]
    [InlineData(10_000)]
    public async Task A_reading_that_must_show_a_file_is_given_up_once_its_head_shows_none(int chunk)
    {
        await using var session = Session();
        await using var sink = new DecodingSink(session.CreateSink("test"), requireMagic: true);

        await FeedAsync(sink, Enumerable.Repeat((byte)'A', 10_000).ToArray(), chunk);

        Assert.True(sink.Abandoned);
        Assert.True(sink.Length <= FileMagic.HeadLength);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(57)]
    [InlineData(3_000)]
    [InlineData(10_000)]
    public async Task A_zip_behind_junk_in_the_head_keeps_every_byte(int chunk)
    {
        var data = Encoding.ASCII.GetBytes(new string('j', 1_000) + "PK\x03\x04").Concat(Enumerable.Range(0, 8_000).Select(i => (byte)i)).ToArray();
        await using var session = Session();
        await using var sink = new DecodingSink(session.CreateSink("test"), requireMagic: true);

        await FeedAsync(sink, data, chunk);
        var (copy, _) = await sink.CompleteAsync(CancellationToken.None);

        Assert.False(sink.Abandoned);
        Assert.Equal(data, copy.Content.Memory!.Value.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3_000)]
    public async Task A_reading_stops_at_its_cap(int chunk)
    {
        await using var session = Session();
        await using var sink = new DecodingSink(session.CreateSink("test"), cap: 1_000);

        await FeedAsync(sink, Enumerable.Repeat((byte)'A', 5_000).ToArray(), chunk);

        Assert.True(sink.Abandoned);
        Assert.Equal(1_000, sink.Length);
    }

    private static WalkSession Session() => new(new ScanLimits(), new List<LimitViolation>(), null, null);

    private static async Task FeedAsync(DecodingSink sink, byte[] data, int chunk)
    {
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            await sink.AddRangeAsync([.. data.AsSpan(offset, Math.Min(chunk, data.Length - offset))], CancellationToken.None);
        }
    }
}
