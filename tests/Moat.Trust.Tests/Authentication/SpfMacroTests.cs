using System.Net;
using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class SpfMacroTests
{
    // RFC 7208 §7.4: sender strong-bad@email.example.com, client 192.0.2.3 or 2001:db8::cb01.
    private static readonly SpfMacroContext Rfc = new()
    {
        Sender = "strong-bad@email.example.com",
        LocalPart = "strong-bad",
        SenderDomain = "email.example.com",
        Domain = "email.example.com",
        Client = IPAddress.Parse("192.0.2.3"),
        Helo = "mx.example.org",
        Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
    };

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void Expands_the_rfc_7208_examples(string macro, string expected)
    {
        Assert.Equal(expected, SpfMacro.Expand(macro, Rfc));
    }

    [Fact]
    public void Expands_an_ipv6_client_in_nibble_form()
    {
        var context = Rfc with { Client = IPAddress.Parse("2001:db8::cb01") };

        Assert.Equal(
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            SpfMacro.Expand("%{ir}.%{v}._spf.%{d2}", context));
    }

    [Theory]
    [InlineData("%%", "%")]
    [InlineData("a%_b", "a b")]
    [InlineData("a%-b", "a%20b")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("%{p}", "unknown")]
    [InlineData("%{S}", "strong-bad%40email.example.com")]
    [InlineData("%{d9r}", "com.example.email")]
    [InlineData("%{l+-}", "strong.bad")]
    [InlineData("%{L1000}", "strong-bad")]
    public void Expands_escapes_upper_case_and_transformers(string macro, string expected)
    {
        Assert.Equal(expected, SpfMacro.Expand(macro, Rfc));
    }

    [Fact]
    public void Explanations_also_know_c_r_and_t_and_keep_spaces()
    {
        var text = SpfMacro.Expand("%{c} is not allowed by %{d} (seen by %{r} at %{t})", Rfc, explanation: true);

        Assert.Equal("192.0.2.3 is not allowed by email.example.com (seen by unknown at 1700000000)", text);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%x")]
    [InlineData("%(ir).sbl.example.org")]
    [InlineData("%{")]
    [InlineData("%{ir")]
    [InlineData("%{x}")]
    [InlineData("%{c}")]
    [InlineData("%{t}")]
    [InlineData("%{d0}")]
    [InlineData("%{d2r-x}")]
    [InlineData("a b")]
    public void Rejects_invalid_macro_strings(string text)
    {
        var error = Assert.Throws<SpfException>(() => SpfMacro.Validate(text, explanation: false));
        Assert.Equal(SpfResult.PermError, error.Result);
    }

    [Theory]
    [InlineData("example.test")]
    [InlineData("_spf.example.test.")]
    [InlineData("%{d}")]
    [InlineData("%{ir}.%{v}._spf.%{d2}")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("host.a-1")]
    public void Accepts_domain_specs(string spec)
    {
        SpfMacro.ValidateDomainSpec(spec);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("192.0.2.1")]
    [InlineData("example.-test")]
    [InlineData("%{d}.")]
    [InlineData("%{d}com")]
    public void Rejects_domain_specs_without_a_valid_top_label(string spec)
    {
        Assert.Throws<SpfException>(() => SpfMacro.ValidateDomainSpec(spec));
    }
}
