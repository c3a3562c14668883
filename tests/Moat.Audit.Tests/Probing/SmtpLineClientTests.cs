using System.Diagnostics;
using System.Net;
using Moat.Audit.Probing;
using Moat.Audit.Tests.Probing.Support;

namespace Moat.Audit.Tests.Probing;

/// <summary>The probe client's bounds: line length, lines per reply, time per reply, and no DATA ever.</summary>
public sealed class SmtpLineClientTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_multi_line_reply_is_read_whole_with_nodelay_on()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendAsync("220-mx.example.org first\r\n220-second\n220 third\r\n", ct);
            await c.ReadLineAsync(ct);
        });
        var transcript = new ProbeTranscript();
        await using var client = await ConnectAsync(server, transcript);

        var reply = await client.ReadReplyAsync(CancellationToken.None);

        Assert.Equal(220, reply.Code);
        Assert.Equal(["220-mx.example.org first", "220-second", "220 third"], reply.Lines);
        Assert.Equal("220-mx.example.org first\n220-second\n220 third", reply.Text);
        Assert.True(client.NoDelay);
        Assert.Equal(["-- connected to " + new IPEndPoint(server.Address, server.Port), "S: 220-mx.example.org first", "S: 220-second", "S: 220 third"], transcript.Lines);
    }

    [Fact]
    public async Task An_endless_line_stops_at_the_line_bound()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendAsync(new string('x', SmtpLineClient.MaxLineBytes + 100), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var client = await ConnectAsync(server);

        var error = await Assert.ThrowsAsync<ProbeAbortedException>(() => client.ReadReplyAsync(CancellationToken.None));

        Assert.Contains($"longer than {SmtpLineClient.MaxLineBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_reply_stops_at_the_lines_bound()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            for (var i = 0; i < 500; i++)
            {
                await c.SendAsync($"250-line {i}\r\n", ct);
            }

            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var client = await ConnectAsync(server);

        var error = await Assert.ThrowsAsync<ProbeAbortedException>(() => client.ReadReplyAsync(CancellationToken.None));

        Assert.Contains($"longer than {SmtpLineClient.MaxReplyLines} lines", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_trickled_a_byte_at_a_time_is_bounded_by_one_deadline()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            while (true)
            {
                await c.SendAsync("2", ct);
                await Task.Delay(100, ct);
            }
        });
        await using var client = await ConnectAsync(server);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ProbeAbortedException>(() => client.ReadReplyAsync(CancellationToken.None));

        Assert.Contains("within 1 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_first_line_that_is_not_smtp_comes_back_without_a_code()
    {
        await using var server = new ScriptedServer(async (c, _, ct) =>
        {
            await c.SendAsync("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", ct);
            await c.ReadLineAsync(ct);
        });
        await using var client = await ConnectAsync(server);

        var reply = await client.ReadReplyAsync(CancellationToken.None);

        Assert.Null(reply.Code);
        Assert.Equal(["SSH-2.0-OpenSSH_9.2p1 Debian-2"], reply.Lines);
    }

    [Theory]
    [InlineData("DATA")]
    [InlineData("data")]
    [InlineData("  Data")]
    [InlineData("BDAT 100 LAST")]
    public async Task Data_and_bdat_are_never_sent(string command)
    {
        await using var server = new ScriptedServer(async (c, _, ct) => await c.ServeAsync(_ => "354 go ahead\r\n", ct));
        await using var client = await ConnectAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.WriteLineAsync(command, CancellationToken.None));
        await client.WriteLineAsync("QUIT", CancellationToken.None);
        await client.ReadReplyAsync(CancellationToken.None);

        Assert.Equal(["QUIT"], server.Received);
    }

    [Fact]
    public async Task A_command_cannot_smuggle_a_second_line()
    {
        await using var server = new ScriptedServer(async (c, _, ct) => await c.ServeAsync(_ => "250 ok\r\n", ct));
        await using var client = await ConnectAsync(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.WriteLineAsync("VRFY root\r\nDATA", CancellationToken.None));
    }

    [Fact]
    public void Reply_codes_are_read_strictly()
    {
        Assert.True(SmtpLineClient.TryParseCode("250-PIPELINING", out var code, out var last));
        Assert.Equal((250, false), (code, last));
        Assert.True(SmtpLineClient.TryParseCode("250", out code, out last));
        Assert.Equal((250, true), (code, last));
        Assert.False(SmtpLineClient.TryParseCode("250x", out _, out _));
        Assert.False(SmtpLineClient.TryParseCode("HTTP/1.1 400", out _, out _));
    }

    private static Task<SmtpLineClient> ConnectAsync(ScriptedServer server, ProbeTranscript? transcript = null) =>
        SmtpLineClient.ConnectAsync(new IPEndPoint(server.Address, server.Port), ShortTimeout, ShortTimeout, transcript ?? new ProbeTranscript(), CancellationToken.None);
}
