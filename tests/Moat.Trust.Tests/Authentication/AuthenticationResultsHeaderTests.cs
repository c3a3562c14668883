using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class AuthenticationResultsHeaderTests
{
    [Fact]
    public void Formats_all_three_methods_with_their_properties()
    {
        var result = new SenderAuthentication(
            new SpfOutcome(SpfResult.SoftFail, "a.test", null),
            [
                new DkimOutcome(DkimResult.Pass, "a.test", "sel", null),
                new DkimOutcome(DkimResult.Fail, "b.test", "s2", "body hash did not verify"),
            ],
            new DmarcOutcome(DmarcResult.Fail, "a.test", "a.test", DmarcPolicy.Reject, false, true),
            "alice@a.test",
            "a.test");

        Assert.Equal(
            "mx.example.org; spf=softfail smtp.mailfrom=a.test; dkim=pass header.d=a.test header.s=sel; "
            + "dkim=fail reason=\"body hash did not verify\" header.d=b.test header.s=s2; dmarc=fail header.from=a.test",
            AuthenticationResultsHeader.Format("mx.example.org", result));
    }

    [Fact]
    public void Writes_none_and_error_results_and_leaves_out_unknown_values()
    {
        var result = new SenderAuthentication(
            new SpfOutcome(SpfResult.TempError, string.Empty, "DNS lookup failed"),
            [new DkimOutcome(DkimResult.PermError, null, null, "malformed signature")],
            new DmarcOutcome(DmarcResult.PermError, string.Empty, null, DmarcPolicy.None, false, false),
            null,
            null);

        Assert.Equal(
            "mx.example.org; spf=temperror; dkim=permerror reason=\"malformed signature\"; dmarc=permerror",
            AuthenticationResultsHeader.Format("mx.example.org", result));
    }

    [Fact]
    public void Quotes_and_sanitises_untrusted_values_so_the_field_stays_one_line()
    {
        var result = new SenderAuthentication(
            new SpfOutcome(SpfResult.None, "x.test", null),
            [new DkimOutcome(DkimResult.Fail, "evil.test;\r\nX-Injected: yes", "s\"el\\", "bad\ttext é")],
            null,
            null,
            null);

        var value = AuthenticationResultsHeader.Format("mx example", result);

        Assert.Equal(
            "\"mx example\"; spf=none smtp.mailfrom=x.test; dkim=fail reason=\"bad?text ?\" "
            + "header.d=\"evil.test;??X-Injected: yes\" header.s=\"s\\\"el\\\\\"",
            value);
        Assert.DoesNotContain('\r', value);
        Assert.DoesNotContain('\n', value);
    }

    [Fact]
    public void Shortens_long_reasons()
    {
        var result = new SenderAuthentication(
            new SpfOutcome(SpfResult.Pass, "a.test", null),
            [new DkimOutcome(DkimResult.PermError, "a.test", "s", new string('x', 1000))],
            null,
            null,
            null);

        Assert.Contains("reason=\"" + new string('x', AuthenticationResultsHeader.MaxReasonLength) + "\" ", AuthenticationResultsHeader.Format("mx", result));
    }
}
