using System.Diagnostics;
using Moat.Testing;
using Moat.Trust.Sources;

namespace Moat.Trust.Tests.Sources;

public sealed class SenderCalloutTests(SourcesDns dns) : IClassFixture<SourcesDns>
{
    private const string Helo = "probe.moat.test";

    private SenderCallout Callout(int port, TimeProvider? clock = null, Func<SenderCalloutOptions, SenderCalloutOptions>? configure = null)
    {
        var options = new SenderCalloutOptions
        {
            HeloName = Helo,
            Port = port,
            AllowNonPublicAddresses = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(5),
        };
        return new SenderCallout(dns.Client(), configure is null ? options : configure(options), timeProvider: clock);
    }

    // A real SMTP server (aiosmtpd): the probe works against an implementation that is not ours.

    [Fact]
    public async Task A_real_server_accepts_the_address_and_receives_no_message()
    {
        using var server = await AioSmtpdServer.StartAsync();

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
        Assert.Equal("alice@callout.test", result.Address);
        Assert.Equal("mx.callout.test", result.Host);
        Assert.StartsWith("250", result.Reply);
        Assert.False(result.FromCache);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task A_real_server_rejects_an_unknown_mailbox_with_its_reply()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().RejectRecipient("nobody@callout.test"));

        var result = await Callout(server.Port).ProbeAsync("nobody@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Rejected, result.Outcome);
        Assert.Equal("550 5.1.1 no such user", result.Reply);
        Assert.Contains("550 5.1.1 no such user", result.Detail);
        Assert.Empty(server.Messages());
    }

    [Fact]
    public async Task A_4xx_from_a_real_server_is_a_temporary_failure()
    {
        using var server = await AioSmtpdServer.StartAsync(new AioSmtpdOptions().TempFailRecipient("busy@callout.test", times: 10));

        var result = await Callout(server.Port).ProbeAsync("busy@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Equal("451 4.2.0 try again later", result.Reply);
    }

    [Fact]
    public async Task A_policy_5xx_refuses_the_prober_not_the_mailbox()
    {
        using var server = await AioSmtpdServer.StartAsync(
            new AioSmtpdOptions().RejectRecipient("alice@callout.test", "554 5.7.1 Client host rejected: listed at a blocklist"));

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("not the mailbox", result.Detail);
    }

    [Fact]
    public async Task A_utf8_address_is_probed_with_smtputf8()
    {
        using var server = await AioSmtpdServer.StartAsync();

        var result = await Callout(server.Port).ProbeAsync("jörg@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public async Task A_domain_without_mx_is_probed_at_its_address()
    {
        using var server = await AioSmtpdServer.StartAsync();

        var result = await Callout(server.Port).ProbeAsync("alice@aonly.callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
        Assert.Equal("aonly.callout.test", result.Host);
    }

    // The exact dialogue, seen by a responder that records every line.

    [Fact]
    public async Task The_probe_says_ehlo_mail_rcpt_rset_quit_and_never_data()
    {
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port).ProbeAsync("Alice@Callout.TEST", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
        Assert.Equal(["EHLO " + Helo, "MAIL FROM:<>", "RCPT TO:<Alice@callout.test>", "RSET", "QUIT"], server.Commands);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_dedicated_probe_sender_is_used_when_configured()
    {
        await using var server = ScriptedSmtpServer.Start();

        await Callout(server.Port, configure: o => o with { ProbeSender = "verify@moat.test" }).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal("MAIL FROM:<verify@moat.test>", server.Commands[1]);
    }

    [Fact]
    public async Task A_server_that_does_not_know_ehlo_gets_helo()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("EHLO", StringComparison.Ordinal) ? "502 5.5.2 Error: command not recognized" : null);

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
        Assert.Equal(["EHLO " + Helo, "HELO " + Helo, "MAIL FROM:<>", "RCPT TO:<alice@callout.test>", "RSET", "QUIT"], server.Commands);
    }

    [Fact]
    public async Task Multi_line_replies_are_read_whole()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("RCPT", StringComparison.Ordinal)
            ? "550-5.1.1 The email account that you tried to reach does not exist.\r\n550-5.1.1 Please check the address.\r\n550 5.1.1 https://example.test/help"
            : null);

        var result = await Callout(server.Port).ProbeAsync("gone@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Rejected, result.Outcome);
        Assert.Equal(
            "550-5.1.1 The email account that you tried to reach does not exist. / 550-5.1.1 Please check the address. / 550 5.1.1 https://example.test/help",
            result.Reply);
        Assert.Equal("QUIT", server.Commands[^1]);
    }

    [Theory]
    [InlineData("550 Requested action not taken: mailbox unavailable", CalloutOutcome.Rejected)]
    [InlineData("553 mailbox name not allowed", CalloutOutcome.Rejected)]
    [InlineData("550 5.2.1 mailbox disabled", CalloutOutcome.Rejected)]
    [InlineData("554 transaction failed", CalloutOutcome.TempFail)]
    [InlineData("550 5.7.1 relaying denied", CalloutOutcome.TempFail)]
    [InlineData("552 5.2.2 mailbox full", CalloutOutcome.TempFail)]
    [InlineData("421 4.7.0 closing", CalloutOutcome.TempFail)]
    [InlineData("250 2.1.5 Ok", CalloutOutcome.Accepted)]
    [InlineData("251 user not local; will forward", CalloutOutcome.Accepted)]
    public async Task Only_a_5xx_about_the_mailbox_is_a_rejection(string reply, CalloutOutcome expected)
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("RCPT", StringComparison.Ordinal) ? reply : null);

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(reply, result.Reply);
    }

    [Theory]
    [InlineData("greeting")]
    [InlineData("EHLO")]
    [InlineData("MAIL")]
    public async Task Refusals_before_rcpt_are_temporary_failures(string stage)
    {
        await using var server = stage == "greeting"
            ? ScriptedSmtpServer.Start(greeting: "554 5.7.1 no service for you")
            : ScriptedSmtpServer.Start(c => c.StartsWith(stage, StringComparison.Ordinal) || (stage == "EHLO" && c.StartsWith("HELO", StringComparison.Ordinal))
                ? "550 5.7.1 go away"
                : null);

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("RCPT", StringComparison.Ordinal) || c.StartsWith("DATA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silent_greeting_times_out_as_a_temporary_failure()
    {
        await using var server = ScriptedSmtpServer.Start(greeting: ScriptedSmtpServer.Silence);
        var callout = Callout(server.Port, configure: o => o with { CommandTimeout = TimeSpan.FromMilliseconds(300) });

        var clock = Stopwatch.StartNew();
        var result = await callout.ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("greeting", result.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_whole_probe_has_a_budget()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("MAIL", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null);
        var callout = Callout(server.Port, configure: o => o with { CommandTimeout = TimeSpan.FromSeconds(30), ProbeTimeout = TimeSpan.FromMilliseconds(400) });

        var clock = Stopwatch.StartNew();
        var result = await callout.ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("took longer than", result.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_silent_rcpt_reply_times_out_as_a_temporary_failure()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("RCPT", StringComparison.Ordinal) ? ScriptedSmtpServer.Silence : null);
        var callout = Callout(server.Port, configure: o => o with { CommandTimeout = TimeSpan.FromMilliseconds(300) });

        var result = await callout.ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("RCPT TO", result.Detail);
        Assert.DoesNotContain("DATA", server.Commands);
    }

    [Fact]
    public async Task A_refused_connection_is_a_temporary_failure()
    {
        var result = await Callout(FreePort.Get()).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("cannot connect", result.Detail);
    }

    [Fact]
    public async Task A_refused_first_mx_falls_back_to_the_next()
    {
        // twomx.callout.test prefers mx-down (127.0.0.2), where nothing listens.
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port).ProbeAsync("alice@twomx.callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
        Assert.Equal("mx.callout.test", result.Host);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Connection_attempts_are_capped()
    {
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port, configure: o => o with { MaxConnectAttempts = 1 })
            .ProbeAsync("alice@twomx.callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData(CalloutSmtpClient.MaxLineLength + 10, 1)]
    [InlineData(20, CalloutSmtpClient.MaxReplyLines + 5)]
    public async Task Oversized_replies_are_a_temporary_failure(int lineLength, int lines)
    {
        var line = new string('x', lineLength);
        var reply = string.Join("\r\n", Enumerable.Range(0, lines).Select(i => (i == lines - 1 ? "250 " : "250-") + line));
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("EHLO", StringComparison.Ordinal) ? reply : null);

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("longer than", result.Detail);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("RCPT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_reply_is_a_temporary_failure()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("RCPT", StringComparison.Ordinal) ? "hello there" : null);

        var result = await Callout(server.Port).ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("malformed", result.Detail);
    }

    [Fact]
    public async Task A_utf8_address_is_not_sent_to_a_server_without_smtputf8()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("EHLO", StringComparison.Ordinal) ? "250-mx.callout.test\r\n250 8BITMIME" : null);

        var result = await Callout(server.Port).ProbeAsync("jörg@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("SMTPUTF8", result.Detail);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    // DNS decides before any connection.

    [Theory]
    [InlineData("alice@missing.callout.test", CalloutOutcome.Rejected, "does not exist")]
    [InlineData("alice@nullmx.callout.test", CalloutOutcome.Rejected, "null MX")]
    [InlineData("alice@unserved.example", CalloutOutcome.TempFail, "Refused")]
    [InlineData("alice@brokenmx.callout.test", CalloutOutcome.TempFail, "Refused")]
    public async Task Dns_answers_decide_without_connecting(string sender, CalloutOutcome expected, string detail)
    {
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port).ProbeAsync(sender, CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(detail, result.Detail);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task Without_dns_the_probe_is_a_temporary_failure()
    {
        var callout = new SenderCallout(SourcesDns.Unreachable(), new SenderCalloutOptions { HeloName = Helo, AllowNonPublicAddresses = true });

        var result = await callout.ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
    }

    [Fact]
    public async Task Non_public_mail_hosts_are_not_probed_unless_allowed()
    {
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port, configure: o => o with { AllowNonPublicAddresses = false })
            .ProbeAsync("alice@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.TempFail, result.Outcome);
        Assert.Contains("non-public", result.Detail);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@callout.test")]
    [InlineData("alice@")]
    [InlineData("ali ce@callout.test")]
    [InlineData("alice>\r\nDATA@callout.test")]
    [InlineData("<alice@callout.test>")]
    [InlineData("alice@[127.0.0.1]")]
    [InlineData("alice@bad_dom ain.test")]
    public async Task Addresses_that_cannot_be_probed_are_skipped(string? sender)
    {
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port).ProbeAsync(sender, CancellationToken.None);

        Assert.Equal(CalloutOutcome.Skipped, result.Outcome);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task A_quoted_local_part_with_a_space_is_probed()
    {
        await using var server = ScriptedSmtpServer.Start();

        var result = await Callout(server.Port).ProbeAsync("\"john doe\"@callout.test", CancellationToken.None);

        Assert.Equal(CalloutOutcome.Accepted, result.Outcome);
        Assert.Contains("RCPT TO:<\"john doe\"@callout.test>", server.Commands);
    }

    // Cache and caps.

    [Fact]
    public async Task A_cached_answer_makes_no_connection()
    {
        await using var server = ScriptedSmtpServer.Start();
        var callout = Callout(server.Port, new ManualTimeProvider());

        var first = await callout.ProbeAsync("alice@callout.test", CancellationToken.None);
        var second = await callout.ProbeAsync("ALICE@callout.test", CancellationToken.None);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(CalloutOutcome.Accepted, second.Outcome);
        Assert.Equal(1, server.Connections);
        Assert.Equal(1, callout.CachedCount);
    }

    [Fact]
    public async Task Positive_and_negative_answers_live_for_their_own_ttl()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.Contains("<gone@", StringComparison.Ordinal) ? "550 5.1.1 no such user" : null);
        var clock = new ManualTimeProvider();
        var callout = Callout(server.Port, clock);

        await callout.ProbeAsync("alice@callout.test", CancellationToken.None);
        await callout.ProbeAsync("gone@callout.test", CancellationToken.None);
        Assert.Equal(2, server.Connections);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True((await callout.ProbeAsync("gone@callout.test", CancellationToken.None)).FromCache);

        clock.Advance(TimeSpan.FromMinutes(2));
        var again = await callout.ProbeAsync("gone@callout.test", CancellationToken.None);
        Assert.False(again.FromCache);
        Assert.Equal(CalloutOutcome.Rejected, again.Outcome);
        Assert.Equal(3, server.Connections);
        Assert.True((await callout.ProbeAsync("alice@callout.test", CancellationToken.None)).FromCache);

        clock.Advance(TimeSpan.FromHours(23));
        Assert.False((await callout.ProbeAsync("alice@callout.test", CancellationToken.None)).FromCache);
        Assert.Equal(4, server.Connections);
    }

    [Fact]
    public async Task Temporary_failures_are_cached_briefly_or_not_at_all()
    {
        await using var server = ScriptedSmtpServer.Start(c => c.StartsWith("RCPT", StringComparison.Ordinal) ? "451 4.3.0 try later" : null);
        var clock = new ManualTimeProvider();
        var brief = Callout(server.Port, clock, o => o with { TempFailTtl = TimeSpan.FromMinutes(5) });
        var never = Callout(server.Port, clock, o => o with { TempFailTtl = TimeSpan.Zero });

        await brief.ProbeAsync("alice@callout.test", CancellationToken.None);
        Assert.True((await brief.ProbeAsync("alice@callout.test", CancellationToken.None)).FromCache);
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False((await brief.ProbeAsync("alice@callout.test", CancellationToken.None)).FromCache);
        Assert.Equal(2, server.Connections);

        await never.ProbeAsync("alice@callout.test", CancellationToken.None);
        Assert.False((await never.ProbeAsync("alice@callout.test", CancellationToken.None)).FromCache);
        Assert.Equal(4, server.Connections);
        Assert.Equal(0, never.CachedCount);
    }

    [Fact]
    public async Task Probes_per_domain_are_capped_per_window()
    {
        await using var server = ScriptedSmtpServer.Start();
        var clock = new ManualTimeProvider();
        var callout = Callout(server.Port, clock, o => o with { MaxProbesPerDomain = 2, ProbeWindow = TimeSpan.FromHours(1) });

        Assert.Equal(CalloutOutcome.Accepted, (await callout.ProbeAsync("a@callout.test", CancellationToken.None)).Outcome);
        Assert.Equal(CalloutOutcome.Accepted, (await callout.ProbeAsync("b@callout.test", CancellationToken.None)).Outcome);
        var capped = await callout.ProbeAsync("c@callout.test", CancellationToken.None);
        Assert.Equal(CalloutOutcome.Skipped, capped.Outcome);
        Assert.Contains("cap", capped.Detail);
        Assert.Equal(2, server.Connections);

        // Cached answers cost nothing, and other domains have their own budget.
        Assert.True((await callout.ProbeAsync("a@callout.test", CancellationToken.None)).FromCache);
        Assert.Equal(CalloutOutcome.Accepted, (await callout.ProbeAsync("a@aonly.callout.test", CancellationToken.None)).Outcome);
        Assert.Equal(3, server.Connections);

        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(CalloutOutcome.Accepted, (await callout.ProbeAsync("c@callout.test", CancellationToken.None)).Outcome);
        Assert.Equal(4, server.Connections);
    }

    [Fact]
    public async Task Concurrent_probes_are_safe()
    {
        await using var server = ScriptedSmtpServer.Start();
        var callout = Callout(server.Port, configure: o => o with { MaxProbesPerDomain = 100 });

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => callout.ProbeAsync($"user{i}@callout.test", CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(CalloutOutcome.Accepted, r.Outcome));
        Assert.Equal(16, callout.CachedCount);
        Assert.Equal(16, server.Connections);
        Assert.DoesNotContain("DATA", server.Commands);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_swallowed()
    {
        await using var server = ScriptedSmtpServer.Start(greeting: ScriptedSmtpServer.Silence);
        var callout = Callout(server.Port, configure: o => o with { CommandTimeout = TimeSpan.FromSeconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => callout.ProbeAsync("alice@callout.test", cancel.Token));
    }

    [Fact]
    public void Unsafe_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SenderCallout(dns.Client(), new SenderCalloutOptions { HeloName = "a\r\nDATA" }));
        Assert.Throws<ArgumentException>(() => new SenderCallout(dns.Client(), new SenderCalloutOptions { HeloName = "mx.test", ProbeSender = "a>b" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderCallout(dns.Client(), new SenderCalloutOptions { HeloName = "mx.test", Port = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderCallout(dns.Client(), new SenderCalloutOptions { HeloName = "mx.test", MaxProbesPerDomain = 0 }));
    }
}
