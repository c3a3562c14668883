using System.Buffers;
using System.Text;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpLineReaderTests
{
    /// <summary>Feeds the input in pieces of <paramref name="piece"/> bytes, as a network would, and collects what the reader reports.</summary>
    private static List<string> ReadAll(string input, int maxLength, int piece, int authMaxLength = 0)
    {
        var reader = new SmtpLineReader(maxLength, authMaxLength);
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
            Assert.True(pending.Length <= Math.Max(maxLength, authMaxLength), $"buffered {pending.Length} bytes");
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

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Auth_lines_have_their_own_larger_bound(int piece)
    {
        var auth = "AUTH PLAIN " + new string('A', 29);
        var input = $"NOOP 123456789012345\r\n{auth}\r\nauth {new string('x', 35)}\r\n{auth}x\r\nAUTHX 1234567890123\r\nOK\r\n";

        var lines = ReadAll(input, 20, piece, authMaxLength: 42);

        Assert.Equal(["<too long>", auth, "auth " + new string('x', 35), "<too long>", "<too long>", "OK"], lines);
    }

    [Fact]
    public void Auth_responses_have_the_auth_bound_when_the_caller_says_so()
    {
        var reader = new SmtpLineReader(10, 20);
        var response = "QUFBQUFBQUFBQUFB\r\n"u8.ToArray();

        var buffer = new ReadOnlySequence<byte>(response);
        Assert.Equal(SmtpLineStatus.Line, reader.TryRead(ref buffer, out var line, authResponse: true));
        Assert.Equal("QUFBQUFBQUFBQUFB", Encoding.ASCII.GetString(line));

        buffer = new ReadOnlySequence<byte>(response);
        Assert.Equal(SmtpLineStatus.TooLong, reader.TryRead(ref buffer, out _));
    }

    [Fact]
    public void Without_an_auth_bound_auth_lines_get_the_ordinary_one()
    {
        Assert.Equal(["<too long>", "OK"], ReadAll("AUTH PLAIN 123456789\r\nOK\r\n", 10, 1000));
    }

    [Fact]
    public void A_line_exactly_at_the_limit_is_accepted()
    {
        Assert.Equal(["12345678", "<too long>"], ReadAll("12345678\r\n123456789\r\n", 10, 1000));
    }
}
