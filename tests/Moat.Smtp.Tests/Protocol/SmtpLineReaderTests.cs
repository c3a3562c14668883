using System.Buffers;
using System.Text;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpLineReaderTests
{
    /// <summary>Feeds the input in pieces of <paramref name="piece"/> bytes, as a network would, and collects what the reader reports.</summary>
    private static List<string> ReadAll(string input, int maxLength, int piece)
    {
        var reader = new SmtpLineReader(maxLength);
        var results = new List<string>();
        var pending = Array.Empty<byte>();
        var bytes = Encoding.ASCII.GetBytes(input);
        for (var offset = 0; offset < bytes.Length; offset += piece)
        {
            pending = [.. pending, .. bytes.AsSpan(offset, Math.Min(piece, bytes.Length - offset))];
            var buffer = new ReadOnlySequence<byte>(pending);
            while (true)
            {
                var status = reader.TryRead(ref buffer, out var line);
                if (status == SmtpLineStatus.NeedMoreData)
                {
                    break;
                }

                results.Add(status == SmtpLineStatus.Line ? Encoding.ASCII.GetString(line) : "<too long>");
            }

            pending = buffer.ToArray();

            // Whatever happens, the reader never makes us keep more than a line's worth.
            Assert.True(pending.Length <= maxLength, $"buffered {pending.Length} bytes");
        }

        return results;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Lines_end_only_with_crlf(int piece)
    {
        var lines = ReadAll("NOOP\r\nA\nB\rC\r\n\r\nQUIT\r\n", 64, piece);

        Assert.Equal(["NOOP", "A\nB\rC", "", "QUIT"], lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Long_line_is_reported_once_when_it_ends_and_the_next_line_is_intact(int piece)
    {
        var lines = ReadAll("12345678\r\n" + new string('x', 500) + "\r\n123456789\r\nOK\r\n", 10, piece);

        Assert.Equal(["12345678", "<too long>", "<too long>", "OK"], lines);
    }

    [Fact]
    public void Crlf_split_across_reads_while_discarding_still_ends_the_line()
    {
        var reader = new SmtpLineReader(10);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 20) + "\r"));

        Assert.Equal(SmtpLineStatus.NeedMoreData, reader.TryRead(ref buffer, out _));
        Assert.Equal(1, buffer.Length);

        buffer = new ReadOnlySequence<byte>("\r\nNOOP\r\n"u8.ToArray());
        Assert.Equal(SmtpLineStatus.TooLong, reader.TryRead(ref buffer, out _));
        Assert.Equal(SmtpLineStatus.Line, reader.TryRead(ref buffer, out var line));
        Assert.Equal("NOOP", Encoding.ASCII.GetString(line));
    }

    [Fact]
    public void A_line_exactly_at_the_limit_is_accepted()
    {
        Assert.Equal(["12345678", "<too long>"], ReadAll("12345678\r\n123456789\r\n", 10, 1000));
    }
}
