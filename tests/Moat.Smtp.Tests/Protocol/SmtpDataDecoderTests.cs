using System.Text;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Tests.Protocol;

public sealed class SmtpDataDecoderTests
{
    private static (string Output, int Consumed, bool Complete, bool Bare) Decode(string input, int piece)
    {
        var decoder = new SmtpDataDecoder();
        var bytes = Encoding.ASCII.GetBytes(input);
        var output = new StringBuilder();
        var consumed = 0;
        while (consumed < bytes.Length && !decoder.IsComplete)
        {
            var chunk = bytes.AsSpan(consumed, Math.Min(piece, bytes.Length - consumed));
            var scratch = new byte[chunk.Length];
            consumed += decoder.Decode(chunk, scratch, out var written);
            output.Append(Encoding.ASCII.GetString(scratch, 0, written));
        }

        return (output.ToString(), consumed, decoder.IsComplete, decoder.HasBareLineEnding);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(4096)]
    public void Unstuffs_and_stops_right_after_the_end_line(int piece)
    {
        var (output, consumed, complete, bare) = Decode("Subject: x\r\n\r\n..one\r\n...two\r\n.\r\nQUIT\r\n", piece);

        Assert.Equal("Subject: x\r\n\r\n.one\r\n..two\r\n", output);
        Assert.True(complete);
        Assert.False(bare);
        Assert.Equal("Subject: x\r\n\r\n..one\r\n...two\r\n.\r\n".Length, consumed);
    }

    [Fact]
    public void Empty_message_ends_at_once()
    {
        var (output, consumed, complete, _) = Decode(".\r\n", 1);

        Assert.Equal(string.Empty, output);
        Assert.Equal(3, consumed);
        Assert.True(complete);
    }

    [Theory]
    [InlineData("a\n.\nb\r\n")]
    [InlineData("a\r.\rb\r\n")]
    [InlineData("a\r\n.\nb\r\n")]
    [InlineData("a\n.\r\nb\r\n")]
    [InlineData("a\r\n.\r.\r\n")]
    public void Only_crlf_dot_crlf_ends_data(string smuggled)
    {
        foreach (var piece in new[] { 1, 3, 4096 })
        {
            var (output, _, complete, bare) = Decode(smuggled, piece);

            Assert.False(complete);
            Assert.True(bare);
            Assert.NotEmpty(output);
        }
    }

    [Theory]
    [InlineData("line\r\r\n.\r\n")]
    [InlineData("line\n\r\n.\r\n")]
    [InlineData("\nline\r\n.\r\n")]
    public void Bare_line_endings_are_flagged_but_the_real_end_is_found(string input)
    {
        var (_, _, complete, bare) = Decode(input, 1);

        Assert.True(complete);
        Assert.True(bare);
    }

    [Fact]
    public void Output_shorter_than_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SmtpDataDecoder().Decode(new byte[4], new byte[3], out _));
    }

    [Fact]
    public void Agrees_with_a_slow_reference_on_random_input_split_at_random()
    {
        var random = new Random(5321);
        const string alphabet = "ab..\r\n\r\n";
        for (var round = 0; round < 3000; round++)
        {
            var input = new string([.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var expected = Reference(input);

            var actual = Decode(input, random.Next(1, 8));

            Assert.Equal(expected.Complete, actual.Complete);
            Assert.Equal(expected.Consumed, actual.Consumed);
            Assert.Equal(expected.Bare, actual.Bare);
            if (!expected.Bare)
            {
                // Unfinished data may end in a held-back "." CR that could still become the end.
                Assert.StartsWith(actual.Output, expected.Output, StringComparison.Ordinal);
                Assert.True(!expected.Complete || expected.Output == actual.Output, input);
            }
        }
    }

    // The obvious way: find CRLF "." CRLF (the data starts after a CRLF), then unstuff line by line.
    private static (string Output, int Consumed, bool Complete, bool Bare) Reference(string input)
    {
        var framed = "\r\n" + input;
        var end = framed.IndexOf("\r\n.\r\n", StringComparison.Ordinal);
        var complete = end >= 0;
        var consumed = complete ? end + 5 - 2 : input.Length;
        var content = input[..consumed];
        var bare = false;
        for (var i = 0; i < content.Length; i++)
        {
            bare |= content[i] == '\n' && (i == 0 || content[i - 1] != '\r');
            bare |= content[i] == '\r' && i + 1 < content.Length && content[i + 1] != '\n';
        }

        var body = complete ? content[..^3] : content;
        var lines = body.Split("\r\n");
        var output = string.Join("\r\n", lines.Select(l => l.StartsWith('.') ? l[1..] : l));
        return (output, consumed, complete, bare);
    }
}
