using System.Text;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

/// <summary>Every transcript in Server/Transcripts, replayed all at once, line by line and byte by byte.</summary>
public sealed class TranscriptTests
{
    public static TheoryData<string, ReplayMode> Cases()
    {
        var data = new TheoryData<string, ReplayMode>();
        foreach (var name in Transcript.Names)
        {
            foreach (var mode in Enum.GetValues<ReplayMode>())
            {
                data.Add(name, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Server_replies_as_the_transcript_says(string name, ReplayMode mode)
    {
        var transcript = Transcript.Load(name);

        var (lines, _) = await transcript.ReplayAsync(mode);

        Assert.Equal(transcript.ServerLines, lines);
    }

    [Theory]
    [InlineData(ReplayMode.AllAtOnce)]
    [InlineData(ReplayMode.ByteByByte)]
    public async Task Basic_session_delivers_the_unstuffed_message_to_the_handler(ReplayMode mode)
    {
        var (_, handlers) = await Transcript.Load("basic-esmtp").ReplayAsync(mode);

        var handler = handlers.Single;
        await handler.Disposed;
        Assert.Equal("Subject: hello\r\n\r\n.leading dot\r\n", Encoding.UTF8.GetString(Assert.Single(handler.Messages)));
        Assert.Equal(
            ["connect", "reset", "helo client.test", "mail <sender@client.test>", "rcpt <user@mx.test>", "begin", "complete 32", "reset", "dispose"],
            handler.Events);
    }

    [Fact]
    public async Task Bdat_chunks_arrive_raw_and_concatenated()
    {
        var (_, handlers) = await Transcript.Load("bdat").ReplayAsync(ReplayMode.LineByLine);

        var handler = handlers.Single;
        await handler.Disposed;
        Assert.Equal(["Hello world\r\n.second line\r\n", "abc\r\n"], handler.Messages.Select(m => Encoding.UTF8.GetString(m)));
    }

    [Fact]
    public async Task Odd_paths_are_recorded_faithfully()
    {
        var (_, handlers) = await Transcript.Load("odd-paths").ReplayAsync(ReplayMode.AllAtOnce);

        var handler = handlers.Single;
        await handler.Disposed;
        Assert.Contains("mail <sender@client.test>", handler.Events);
        Assert.Contains("rcpt <user%other.test@mx.test>", handler.Events);
        Assert.Contains("rcpt <host!user@mx.test>", handler.Events);
        Assert.Contains("rcpt <\"x@y\"@mx.test>", handler.Events);
        Assert.Contains("rcpt <postmaster@[IPv6:2001:db8::1]>", handler.Events);
    }
}
