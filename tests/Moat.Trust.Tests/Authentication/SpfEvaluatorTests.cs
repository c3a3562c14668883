using System.Net;
using Moat.Testing;
using Moat.Trust.Authentication;
using Moat.Trust.Tests.Authentication.Support;

namespace Moat.Trust.Tests.Authentication;

public sealed class SpfEvaluatorTests(SpfEvaluatorTests.Zones dns) : IClassFixture<SpfEvaluatorTests.Zones>
{
    private readonly SpfEvaluator evaluator = new(dns.Dns);

    [Theory]
    [InlineData("pass.example.test", "127.0.0.1", SpfResult.Pass)]
    [InlineData("pass.example.test", "127.0.0.2", SpfResult.Fail)]
    [InlineData("softfail.example.test", "127.0.1.1", SpfResult.SoftFail)]
    [InlineData("softfail.example.test", "127.0.0.200", SpfResult.Pass)]
    [InlineData("neutral.example.test", "127.0.0.1", SpfResult.Neutral)]
    [InlineData("default.example.test", "127.0.0.1", SpfResult.Neutral)]
    [InlineData("upper.example.test", "127.0.0.1", SpfResult.Pass)]
    [InlineData("PASS.Example.Test.", "127.0.0.1", SpfResult.Pass)]
    public async Task Gives_the_qualifier_of_the_first_matching_mechanism(string domain, string client, SpfResult expected)
    {
        Assert.Equal(expected, (await CheckAsync(domain, client)).Result);
    }

    [Theory]
    [InlineData("nospf.example.test")]
    [InlineData("nothing.example.test")]
    [InlineData("localhost")]
    [InlineData("bad..example.test")]
    public async Task Gives_none_without_a_record_or_for_a_malformed_domain(string domain)
    {
        Assert.Equal(SpfResult.None, (await CheckAsync(domain, "127.0.0.1")).Result);
    }

    [Theory]
    [InlineData("multi.example.test")]
    [InlineData("syntax.example.test")]
    [InlineData("unknown.example.test")]
    public async Task Multiple_records_and_syntax_errors_are_permerror(string domain)
    {
        var outcome = await CheckAsync(domain, "127.0.0.1");

        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.NotNull(outcome.Explanation);
    }

    [Fact]
    public async Task Joins_records_split_into_several_strings()
    {
        Assert.Equal(SpfResult.Pass, (await CheckAsync("split.example.test", "127.0.0.50")).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync("long.example.test", "127.0.0.1")).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync("long.example.test", "127.0.0.2")).Result);
    }

    [Theory]
    [InlineData("include.example.test", "127.0.0.3", SpfResult.Pass)]
    [InlineData("include.example.test", "127.0.0.4", SpfResult.Fail)]
    [InlineData("softinclude.example.test", "127.0.0.4", SpfResult.Neutral)]
    [InlineData("badinclude.example.test", "127.0.0.1", SpfResult.PermError)]
    [InlineData("redirect.example.test", "127.0.0.1", SpfResult.Pass)]
    [InlineData("redirect.example.test", "127.0.0.2", SpfResult.Fail)]
    [InlineData("allredirect.example.test", "127.0.0.1", SpfResult.SoftFail)]
    [InlineData("badredirect.example.test", "127.0.0.1", SpfResult.PermError)]
    [InlineData("loop.example.test", "127.0.0.1", SpfResult.PermError)]
    public async Task Follows_include_and_redirect(string domain, string client, SpfResult expected)
    {
        Assert.Equal(expected, (await CheckAsync(domain, client)).Result);
    }

    [Theory]
    [InlineData("a.example.test", "127.0.0.5", SpfResult.Pass)]
    [InlineData("a.example.test", "127.0.0.6", SpfResult.Fail)]
    [InlineData("acidr.example.test", "127.0.2.77", SpfResult.Pass)]
    [InlineData("acidr.example.test", "127.0.3.1", SpfResult.Fail)]
    [InlineData("mx.example.test", "127.0.0.6", SpfResult.Pass)]
    [InlineData("mx.example.test", "127.0.0.5", SpfResult.Fail)]
    [InlineData("manymx.example.test", "127.0.0.1", SpfResult.PermError)]
    [InlineData("ptr.example.test", "127.0.0.7", SpfResult.Pass)]
    [InlineData("ptr.example.test", "127.0.0.8", SpfResult.Fail)]
    [InlineData("ptr.example.test", "127.0.0.9", SpfResult.Fail)]
    public async Task Matches_a_mx_and_ptr(string domain, string client, SpfResult expected)
    {
        Assert.Equal(expected, (await CheckAsync(domain, client)).Result);
    }

    [Theory]
    [InlineData("exists.example.test", "127.0.0.8", "alice", SpfResult.Pass)]
    [InlineData("exists.example.test", "127.0.0.9", "alice", SpfResult.Fail)]
    [InlineData("local.example.test", "127.0.0.1", "alice", SpfResult.Pass)]
    [InlineData("local.example.test", "127.0.0.1", "mallory", SpfResult.Fail)]
    [InlineData("helo.example.test", "127.0.0.1", "alice", SpfResult.Pass)]
    [InlineData("validated.example.test", "127.0.0.7", "alice", SpfResult.Pass)]
    [InlineData("validated.example.test", "127.0.0.8", "alice", SpfResult.Fail)]
    public async Task Expands_macros_in_mechanisms(string domain, string client, string localPart, SpfResult expected)
    {
        var outcome = await evaluator.CheckHostAsync(IPAddress.Parse(client), domain, localPart + "@" + domain, "mta.helo.example.test", CancellationToken.None);

        Assert.Equal(expected, outcome.Result);
    }

    [Fact]
    public async Task Ten_dns_lookups_are_allowed_and_the_eleventh_is_permerror()
    {
        Assert.Equal(SpfResult.Fail, (await CheckAsync("tenlookups.example.test", "127.0.0.1")).Result);

        var outcome = await CheckAsync("elevenlookups.example.test", "127.0.0.1");
        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.Contains("10 DNS lookups", outcome.Explanation);
    }

    [Fact]
    public async Task Lookups_in_included_records_count_towards_the_limit()
    {
        Assert.Equal(SpfResult.PermError, (await CheckAsync("nestedlookups.example.test", "127.0.0.1")).Result);
    }

    [Fact]
    public async Task Two_void_lookups_are_allowed_and_the_third_is_permerror()
    {
        Assert.Equal(SpfResult.Fail, (await CheckAsync("twovoids.example.test", "127.0.0.1")).Result);

        var outcome = await CheckAsync("threevoids.example.test", "127.0.0.1");
        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.Contains("void", outcome.Explanation);
    }

    [Fact]
    public async Task Reads_the_explanation_of_a_fail()
    {
        var outcome = await CheckAsync("exp.example.test", "127.0.0.2");

        Assert.Equal(SpfResult.Fail, outcome.Result);
        Assert.Equal("127.0.0.2 is not one of exp.example.test's designated mail servers.", outcome.Explanation);
    }

    [Fact]
    public async Task An_unusable_explanation_is_left_out_without_changing_the_result()
    {
        var outcome = await CheckAsync("badexp.example.test", "127.0.0.2");

        Assert.Equal(new SpfOutcome(SpfResult.Fail, "badexp.example.test", null), outcome);
    }

    [Fact]
    public async Task Compares_ipv6_clients_with_ip6_and_mapped_ipv4_clients_with_ip4()
    {
        Assert.Equal(SpfResult.Pass, (await CheckAsync("ip6.example.test", "::1")).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync("ip6.example.test", "::2")).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync("pass.example.test", "::ffff:127.0.0.1")).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync("pass.example.test", "::1")).Result);
    }

    [Fact]
    public async Task A_server_that_refuses_the_question_is_temperror()
    {
        // NSD answers REFUSED for a zone it does not serve.
        Assert.Equal(SpfResult.TempError, (await CheckAsync("other.invalid", "127.0.0.1")).Result);
        Assert.Equal(SpfResult.TempError, (await CheckAsync("refused.example.test", "127.0.0.1")).Result);
    }

    [Fact]
    public async Task An_unreachable_server_is_temperror()
    {
        var offline = new SpfEvaluator(TestLookup.Unreachable());

        var outcome = await offline.CheckHostAsync(IPAddress.Loopback, "pass.example.test", "alice@pass.example.test", null, CancellationToken.None);

        Assert.Equal(SpfResult.TempError, outcome.Result);
    }

    private Task<SpfOutcome> CheckAsync(string domain, string client) =>
        evaluator.CheckHostAsync(IPAddress.Parse(client), domain, "alice@" + domain, "mta.example.test", CancellationToken.None);

    public sealed class Zones : DnsFixture
    {
        protected override DnsZone[] CreateZones()
        {
            var hosts = Enumerable.Repeat("a:host.limits.example.test", 10);
            var test = new DnsZone("test")
                .Txt("pass.example", "v=spf1 ip4:127.0.0.1 -all")
                .Txt("pass.example", "an unrelated TXT record")
                .Txt("softfail.example", "v=spf1 ip4:127.0.0.128/25 ~all")
                .Txt("neutral.example", "v=spf1 ?all")
                .Txt("default.example", "v=spf1 ip4:127.0.0.9")
                .Txt("upper.example", "V=SPF1 IP4:127.0.0.1 -ALL")
                .Txt("nospf.example", "google-site-verification=abc")
                .Txt("multi.example", "v=spf1 -all")
                .Txt("multi.example", "v=spf1 +all")
                .Txt("syntax.example", "v=spf1 ip4:127.0.0.1/33 -all")
                .Txt("unknown.example", "v=spf1 foo -all")
                .TxtStrings("split.example", "v=spf1 ip4:127.0.0.50", " -all")
                .Txt("long.example", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 30).Select(i => $"ip4:127.0.9.{i}")) + " ip4:127.0.0.1 -all")
                .Txt("include.example", "v=spf1 include:_spf.include.example.test -all")
                .Txt("_spf.include.example", "v=spf1 ip4:127.0.0.3 -all")
                .Txt("softinclude.example", "v=spf1 include:softfail.example.test")
                .Txt("badinclude.example", "v=spf1 include:nospf.example.test -all")
                .Txt("redirect.example", "v=spf1 redirect=pass.example.test")
                .Txt("allredirect.example", "v=spf1 ~all redirect=pass.example.test")
                .Txt("badredirect.example", "v=spf1 redirect=nospf.example.test")
                .Txt("loop.example", "v=spf1 include:loop.example.test -all")
                .Txt("a.example", "v=spf1 a -all")
                .A("a.example", "127.0.0.5")
                .Txt("acidr.example", "v=spf1 a:host.acidr.example.test/24 -all")
                .A("host.acidr.example", "127.0.2.1")
                .Txt("mx.example", "v=spf1 mx -all")
                .Mx("mx.example", 10, "mail.mx.example")
                .A("mail.mx.example", "127.0.0.6")
                .Txt("manymx.example", "v=spf1 mx -all")
                .Txt("ptr.example", "v=spf1 ptr -all")
                .A("host.ptr.example", "127.0.0.7")
                .A("liar.ptr.example", "127.0.0.99")
                .Txt("exists.example", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all")
                .A("8.0.0.127.in-addr._spf.exists.example", "127.0.0.2")
                .Txt("local.example", "v=spf1 exists:%{l}.users.%{d} -all")
                .A("alice.users.local.example", "127.0.0.2")
                .Txt("helo.example", "v=spf1 exists:%{h} -all")
                .A("mta.helo.example", "127.0.0.2")
                .Txt("validated.example", "v=spf1 exists:%{p}.allowed.test -all")
                .A("host.ptr.example.test.allowed", "127.0.0.2")
                .Txt("tenlookups.example", "v=spf1 " + string.Join(' ', hosts) + " -all")
                .Txt("elevenlookups.example", "v=spf1 " + string.Join(' ', hosts) + " a:host.limits.example.test -all")
                .A("host.limits.example", "127.0.0.250")
                .Txt("nestedlookups.example", "v=spf1 a:host.limits.example.test include:tenlookups.example.test -all")
                .Txt("twovoids.example", "v=spf1 a:nx1.example.test mx:nx2.example.test -all")
                .Txt("threevoids.example", "v=spf1 a:nx1.example.test mx:nx2.example.test exists:nx3.example.test -all")
                .Txt("exp.example", "v=spf1 -all exp=explain.exp.example.test")
                .Txt("explain.exp.example", "%{i} is not one of %{d}'s designated mail servers.")
                .Txt("badexp.example", "v=spf1 -all exp=explain.badexp.example.test")
                .Txt("explain.badexp.example", "%{x} is bad syntax")
                .Txt("ip6.example", "v=spf1 ip6:::1 ip4:127.0.0.1 -all")
                .Txt("refused.example", "v=spf1 include:other.invalid -all");
            for (var i = 0; i < 11; i++)
            {
                test.Mx("manymx.example", 10 + i, $"mx{i}.manymx.example");
            }

            var reverse = new DnsZone("127.in-addr.arpa")
                .Ptr("7.0.0", "host.ptr.example.test.")
                .Ptr("8.0.0", "liar.ptr.example.test.");
            return [test, reverse];
        }
    }
}
