using System.Text;
using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Content;

public class BoundedLineReaderTests
{
    [Fact]
    public async Task Splits_at_lf_crlf_and_lone_cr_and_keeps_binary_as_latin1()
    {
        var lines = await ReadAllAsync(Encoding.Latin1.GetBytes("one\ntwo\r\nthree\rfour\r\n\r\n\u00FF\u0000end"));
        Assert.Equal(["one", "two", "three", "four", "", "\u00FF\u0000end"], lines);
    }

    [Fact]
    public async Task Lines_and_crlf_pairs_across_buffer_borders_come_out_whole()
    {
        // 16 KiB reads: put a CR as the last byte of the first read and lines across every border.
        var text = new StringBuilder();
        text.Append('a', (16 * 1024) - 1).Append("\r\n");
        var expected = new List<string> { new('a', (16 * 1024) - 1) };
        var random = new Random(2);
        for (var i = 0; i < 200; i++)
        {
            var line = new string('x', random.Next(0, 2_000)) + i;
            expected.Add(line);
            text.Append(line).Append(random.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" });
        }

        Assert.Equal(expected, await ReadAllAsync(Encoding.Latin1.GetBytes(text.ToString()), chunk: 777));
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_comes_in_pieces()
    {
        var max = BoundedLineReader.MaxLineLength;
        var text = new string('b', (2 * max) + 5) + "\nend";
        var lines = await ReadAllAsync(Encoding.Latin1.GetBytes(text));
        Assert.Equal([max, max, 5, 3], lines.Select(l => l.Length).ToArray());
    }

    [Fact]
    public async Task A_line_of_exactly_the_limit_is_followed_by_an_empty_line()
    {
        // The piece ends at the limit, so the terminator right after it ends an empty line (as before).
        var max = BoundedLineReader.MaxLineLength;
        var lines = await ReadAllAsync(Encoding.Latin1.GetBytes(new string('c', max) + "\nz"));
        Assert.Equal([max, 0, 1], lines.Select(l => l.Length).ToArray());
    }

    private static async Task<List<string>> ReadAllAsync(byte[] bytes, int chunk = int.MaxValue)
    {
        using var reader = new BoundedLineReader(new TrickleStream(bytes, chunk));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, so reads end at awkward places.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
