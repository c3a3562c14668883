using System.Net;
using Moat.Trust.Sources;

namespace Moat.Trust.Tests.Sources;

public sealed class SenderSystemCheckTests(SourcesDns dns) : IClassFixture<SourcesDns>
{
    private SenderSystemCheck Check(SenderSystemOptions? options = null, bool strict = true) =>
        new(dns.Client(strict), options ?? new SenderSystemOptions());

    [Fact]
    public async Task A_host_whose_ptr_name_resolves_back_to_it_passes_and_looks_like_a_mail_server()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.5"), "mail.sender.test", "alice@sender.test", CancellationToken.None);

        Assert.Equal(SenderCheckResult.Pass, report.ReverseDns);
        Assert.Equal(["mail.sender.test"], report.PtrNames);
        Assert.Equal("mail.sender.test", report.ConfirmedName);
        Assert.Equal(SenderCheckResult.Pass, report.Helo);
        Assert.Equal(HeloFinding.Valid, report.HeloFinding);
        Assert.True(report.HeloResolvesToClient);
        Assert.Equal(SenderCheckResult.Pass, report.EnvelopeDomainAcceptsMail);
        Assert.Equal("sender.test", report.EnvelopeDomain);
        Assert.Equal(["mx.sender.test"], report.MailExchangers);
        Assert.True(report.LooksLikeMailServer);
        Assert.False(report.HasTemporaryError);
        Assert.Equal(
            [
                "reverse DNS pass: 127.0.0.5 → mail.sender.test → 127.0.0.5",
                "HELO pass: mail.sender.test is a fully-qualified host name",
                "HELO name mail.sender.test resolves to the client 127.0.0.5",
                "envelope domain pass: sender.test has MX mx.sender.test (10)",
            ],
            report.Evidence);
    }

    [Fact]
    public async Task A_ptr_name_that_resolves_elsewhere_fails()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.6"), "other.sender.test", null, CancellationToken.None);

        Assert.Equal(SenderCheckResult.Fail, report.ReverseDns);
        Assert.Equal(["other.sender.test"], report.PtrNames);
        Assert.Null(report.ConfirmedName);
        Assert.False(report.HeloResolvesToClient);
        Assert.False(report.LooksLikeMailServer);
        Assert.False(report.HasTemporaryError);
        Assert.Contains(report.Evidence, e => e.StartsWith("reverse DNS fail: 127.0.0.6 has PTR other.sender.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_without_ptr_fails()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.9"), "mail.sender.test", null, CancellationToken.None);

        Assert.Equal(SenderCheckResult.Fail, report.ReverseDns);
        Assert.Empty(report.PtrNames);
        Assert.Contains("reverse DNS fail: 127.0.0.9 has no PTR record", report.Evidence);
        Assert.False(report.LooksLikeMailServer);
    }

    [Fact]
    public async Task One_confirmed_name_among_several_ptr_names_is_enough()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.7"), "multi.sender.test", null, CancellationToken.None);

        Assert.Equal(SenderCheckResult.Pass, report.ReverseDns);
        Assert.Equal(["gone.sender.test", "multi.sender.test"], report.PtrNames.Order(StringComparer.Ordinal));
        Assert.Equal("multi.sender.test", report.ConfirmedName);
    }

    [Fact]
    public async Task A_failed_ptr_lookup_is_a_temporary_error_not_a_failure()
    {
        // 127.1.2.3 is outside the reverse zone NSD serves: it answers REFUSED.
        var report = await Check().CheckAsync(IPAddress.Parse("127.1.2.3"), "mail.sender.test", null, CancellationToken.None);

        Assert.Equal(SenderCheckResult.TempError, report.ReverseDns);
        Assert.True(report.HasTemporaryError);
        Assert.False(report.LooksLikeMailServer);
        Assert.Contains(report.Evidence, e => e.StartsWith("reverse DNS temporary error:", StringComparison.Ordinal) && e.Contains("Refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_forward_lookup_without_a_match_is_a_temporary_error()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.8"), "mail.sender.test", null, CancellationToken.None);

        Assert.Equal(SenderCheckResult.TempError, report.ReverseDns);
        Assert.Equal(["mail.unserved.example"], report.PtrNames);
        Assert.True(report.HasTemporaryError);
    }

    [Fact]
    public async Task Ipv6_clients_are_confirmed_with_aaaa_records()
    {
        var report = await Check().CheckAsync(IPAddress.IPv6Loopback, "mail6.sender.test", null, CancellationToken.None);

        Assert.Equal(SenderCheckResult.Pass, report.ReverseDns);
        Assert.Equal("mail6.sender.test", report.ConfirmedName);
        Assert.True(report.HeloResolvesToClient);
    }

    [Fact]
    public async Task An_ipv4_mapped_client_is_checked_as_ipv4()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("::ffff:127.0.0.5"), "[127.0.0.5]", null, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("127.0.0.5"), report.ClientAddress);
        Assert.Equal(SenderCheckResult.Pass, report.ReverseDns);
        Assert.Equal(HeloFinding.AddressLiteral, report.HeloFinding);
        Assert.Null(report.HeloResolvesToClient);
        Assert.True(report.LooksLikeMailServer);
    }

    [Fact]
    public async Task Only_the_first_ptr_names_are_looked_at()
    {
        var report = await Check(new SenderSystemOptions { MaxPtrNames = 10 })
            .CheckAsync(IPAddress.Parse("127.0.0.12"), "n12.sender.test", null, CancellationToken.None);

        Assert.Equal(10, report.PtrNames.Count);
        Assert.Contains("reverse DNS: 127.0.0.12 has 12 PTR names; only the first 10 are checked", report.Evidence);
        Assert.Equal(report.PtrNames.Contains("n12.sender.test") ? SenderCheckResult.Pass : SenderCheckResult.Fail, report.ReverseDns);
    }

    [Theory]
    [InlineData("mail.sender.test", true)]
    [InlineData("other.sender.test", false)]
    [InlineData("nothing.sender.test", false)]
    [InlineData("mail.unserved.example", null)]
    public async Task Whether_the_helo_name_resolves_to_the_client_is_a_bonus_signal(string helo, bool? expected)
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.5"), helo, null, CancellationToken.None);

        Assert.Equal(expected, report.HeloResolvesToClient);
        Assert.Equal(SenderCheckResult.Pass, report.Helo);
        Assert.True(report.LooksLikeMailServer);
    }

    [Fact]
    public async Task Helo_names_are_not_resolved_when_switched_off()
    {
        var report = await Check(new SenderSystemOptions { ResolveHeloName = false })
            .CheckAsync(IPAddress.Parse("127.0.0.5"), "mail.sender.test", null, CancellationToken.None);

        Assert.Null(report.HeloResolvesToClient);
    }

    [Fact]
    public async Task A_forged_helo_spoils_an_otherwise_good_host()
    {
        var options = new SenderSystemOptions { LocalHostNames = ["mx.ours.test"], LocalDomains = ["ours.test"] };

        var report = await Check(options).CheckAsync(IPAddress.Parse("127.0.0.5"), "mx.ours.test", "alice@sender.test", CancellationToken.None);

        Assert.Equal(SenderCheckResult.Pass, report.ReverseDns);
        Assert.Equal(SenderCheckResult.Fail, report.Helo);
        Assert.Equal(HeloFinding.ClaimsToBeUs, report.HeloFinding);
        Assert.Null(report.HeloResolvesToClient);
        Assert.False(report.LooksLikeMailServer);
        Assert.Contains("HELO fail: mx.ours.test claims to be one of our own names", report.Evidence);
    }

    [Theory]
    [InlineData("alice@sender.test", SenderCheckResult.Pass, "mx.sender.test")]
    [InlineData("alice@SENDER.test.", SenderCheckResult.Pass, "mx.sender.test")]
    [InlineData("alice@aonly.sender.test", SenderCheckResult.Pass, "aonly.sender.test")]
    [InlineData("alice@nomail.sender.test", SenderCheckResult.Fail, null)]
    [InlineData("alice@missing.sender.test", SenderCheckResult.Fail, null)]
    [InlineData("alice@txtonly.sender.test", SenderCheckResult.Fail, null)]
    [InlineData("alice@unserved.example", SenderCheckResult.TempError, null)]
    [InlineData("alice", SenderCheckResult.Fail, null)]
    [InlineData("alice@", SenderCheckResult.Fail, null)]
    [InlineData("alice@bad_dom ain.test", SenderCheckResult.Fail, null)]
    [InlineData("alice@[127.0.0.1]", SenderCheckResult.None, null)]
    [InlineData("", SenderCheckResult.None, null)]
    public async Task The_envelope_domain_must_accept_mail(string mailFrom, SenderCheckResult expected, string? mailExchanger)
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.5"), "mail.sender.test", mailFrom, CancellationToken.None);

        Assert.Equal(expected, report.EnvelopeDomainAcceptsMail);
        string[] exchangers = mailExchanger is null ? [] : [mailExchanger];
        Assert.Equal(exchangers, report.MailExchangers);
        Assert.Equal(expected == SenderCheckResult.TempError, report.HasTemporaryError);
    }

    [Theory]
    [InlineData("alice@sender.test", "envelope domain pass: sender.test has MX mx.sender.test (10)")]
    [InlineData("alice@aonly.sender.test", "envelope domain pass: aonly.sender.test has no MX but an address (implicit MX)")]
    [InlineData("alice@nomail.sender.test", "envelope domain fail: nomail.sender.test publishes a null MX (RFC 7505) and accepts no mail")]
    [InlineData("alice@missing.sender.test", "envelope domain fail: missing.sender.test does not exist (NXDOMAIN)")]
    [InlineData("alice@txtonly.sender.test", "envelope domain fail: txtonly.sender.test has neither MX nor address records")]
    [InlineData(null, "envelope domain not checked: null sender")]
    public async Task The_envelope_evidence_says_why(string? mailFrom, string evidence)
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.5"), "mail.sender.test", mailFrom, CancellationToken.None);

        Assert.Equal(evidence, report.Evidence[^1]);
    }

    [Fact]
    public async Task Nxdomain_is_read_as_an_answer_with_the_default_client_settings_too()
    {
        var check = Check(strict: false);

        var missing = await check.CheckAsync(IPAddress.Parse("127.0.0.9"), "mail.sender.test", "alice@missing.sender.test", CancellationToken.None);
        var refused = await check.CheckAsync(IPAddress.Parse("127.1.2.3"), "mail.sender.test", "alice@unserved.example", CancellationToken.None);

        Assert.Equal(SenderCheckResult.Fail, missing.ReverseDns);
        Assert.Equal(SenderCheckResult.Fail, missing.EnvelopeDomainAcceptsMail);
        Assert.Equal(SenderCheckResult.TempError, refused.ReverseDns);
        Assert.Equal(SenderCheckResult.TempError, refused.EnvelopeDomainAcceptsMail);
    }

    [Fact]
    public async Task Without_dns_everything_that_needs_it_is_a_temporary_error()
    {
        var check = new SenderSystemCheck(SourcesDns.Unreachable(), new SenderSystemOptions());

        var report = await check.CheckAsync(IPAddress.Parse("127.0.0.5"), "mail.sender.test", "alice@sender.test", CancellationToken.None);

        Assert.Equal(SenderCheckResult.TempError, report.ReverseDns);
        Assert.Equal(SenderCheckResult.Pass, report.Helo);
        Assert.Null(report.HeloResolvesToClient);
        Assert.Equal(SenderCheckResult.TempError, report.EnvelopeDomainAcceptsMail);
        Assert.True(report.HasTemporaryError);
        Assert.False(report.LooksLikeMailServer);
    }

    [Fact]
    public async Task Remote_text_in_the_evidence_cannot_break_a_log_line()
    {
        var report = await Check().CheckAsync(IPAddress.Parse("127.0.0.5"), "evil\u001b[31m\u0007.example", null, CancellationToken.None);

        Assert.Equal(HeloFinding.InvalidSyntax, report.HeloFinding);
        Assert.All(report.Evidence, e => Assert.DoesNotContain<char>(e, c => char.IsControl(c)));
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SenderSystemCheck(dns.Client(), new SenderSystemOptions { MaxPtrNames = 0 }));
    }
}
