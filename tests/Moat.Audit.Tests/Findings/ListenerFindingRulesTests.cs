using System.Net;
using Moat.Audit.Discovery;
using Moat.Audit.Findings;
using Moat.Audit.Fingerprints;
using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Findings;

public sealed class ListenerFindingRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_neutral_hardened_listener_gives_nothing_above_info()
    {
        var observation = Neutral() with { Fingerprint = new Fingerprint("Moat", null, 0.9, ["EHLO keywords in Postfix order, HELP says See RFC 5321"]) };

        var findings = Evaluate(observation, inMx: true);

        Assert.All(findings, f => Assert.Equal(Severity.Info, f.Severity));
        Assert.Contains(findings, f => f.Id == FindingIds.ProductIdentified && f.Title.Contains("Moat", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_accepted_relay_trick_lands_in_one_critical_finding()
    {
        var observation = Neutral() with
        {
            RelayProbes =
            [
                new RelayProbeResult("percent hack", "probe@example.org", "victim%elsewhere.test@example.org", ["250 2.1.0 Ok", "250 2.1.5 Ok"], true),
                new RelayProbeResult("external to external", "a@outside.test", "victim@elsewhere.test", ["250 2.1.0 Ok", "250 2.1.5 Ok"], true),
                new RelayProbeResult("bang path", "probe@example.org", "elsewhere.test!victim@example.org", ["250 2.1.0 Ok", "554 5.7.1 Relay access denied"], false),
            ],
        };

        var relay = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.OpenRelay);

        Assert.Equal(Severity.Critical, relay.Severity);
        Assert.Contains("2 of 3", relay.Title, StringComparison.Ordinal);
        Assert.Contains("[percent hack]", relay.Evidence);
        Assert.Contains("[external to external]", relay.Evidence);
        var at = relay.Evidence.ToList().IndexOf("[external to external]");
        Assert.Equal(
            ["[external to external]", "C: MAIL FROM:<a@outside.test>", "S: 250 2.1.0 Ok", "C: RCPT TO:<victim@elsewhere.test>", "S: 250 2.1.5 Ok"],
            relay.Evidence.Skip(at).Take(5));
        Assert.DoesNotContain("[bang path]", relay.Evidence);
    }

    [Fact]
    public void A_version_in_the_banner_is_a_medium_leak_with_the_banner_as_evidence()
    {
        var observation = Neutral() with
        {
            Greeting = ["220 mail.example.org ESMTP Postfix (Debian/GNU) 3.7.11"],
            Fingerprint = new Fingerprint("Postfix", "3.7.11", 0.95, ["banner names Postfix 3.7.11"]),
        };

        var leak = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.VersionLeak);

        Assert.Equal(Severity.Medium, leak.Severity);
        Assert.Equal(["S: 220 mail.example.org ESMTP Postfix (Debian/GNU) 3.7.11"], leak.Evidence);
        Assert.Contains("smtpd_banner", leak.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_product_name_without_version_is_a_low_leak()
    {
        var observation = Neutral() with { Greeting = ["220 mail.example.org ESMTP Postfix (Debian/GNU)"] };

        var leak = Assert.Single(Evaluate(observation, inMx: true), f => f.Severity > Severity.Info);

        Assert.Equal(FindingIds.ProductLeak, leak.Id);
        Assert.Equal(Severity.Low, leak.Severity);
    }

    [Fact]
    public void The_host_name_is_not_a_leak_even_when_it_names_a_product()
    {
        var observation = Neutral() with { Greeting = ["220 postfix.example.org ESMTP"], Ehlo = ["250-postfix.example.org", "250 STARTTLS"] };

        Assert.DoesNotContain(Evaluate(observation, inMx: true), f => f.Severity > Severity.Info);
    }

    [Fact]
    public void A_version_in_a_help_reply_is_a_leak_with_the_command()
    {
        var observation = Neutral() with
        {
            Replies = new Dictionary<string, string> { ["HELP"] = "214-2.0.0 This is sendmail version 8.17.1\n214 2.0.0 End of HELP info" },
            Fingerprint = new Fingerprint("Sendmail", "8.17.1", 0.9, []),
        };

        var leak = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.VersionLeak);

        Assert.Equal(["C: HELP", "S: 214-2.0.0 This is sendmail version 8.17.1"], leak.Evidence);
    }

    [Fact]
    public void Vrfy_that_tells_users_apart_confirms_users()
    {
        var observation = Neutral() with
        {
            UserEnumeration = new Dictionary<string, string>
            {
                ["VRFY root"] = "252 2.0.0 root",
                ["VRFY postmaster"] = "250 2.1.5 <postmaster@example.org>",
                ["VRFY qzx81kwp"] = "550 5.1.1 <qzx81kwp>: Recipient address rejected: User unknown",
            },
        };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.UserEnumeration);

        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("confirms which users exist", finding.Title, StringComparison.Ordinal);
        Assert.Contains("C: VRFY postmaster", finding.Evidence);
        Assert.Contains("S: 550 5.1.1 <qzx81kwp>: Recipient address rejected: User unknown", finding.Evidence);
    }

    [Fact]
    public void Vrfy_252_for_a_real_name_beside_550_for_a_made_up_one_confirms_users()
    {
        // Postfix with VRFY on: "252 2.0.0 root" but "550 5.1.1 <qzx81kwp>: ... User unknown".
        var observation = Neutral() with
        {
            UserEnumeration = new Dictionary<string, string>
            {
                ["VRFY root"] = "252 2.0.0 root",
                ["VRFY qzx81kwp"] = "550 5.1.1 <qzx81kwp>: Recipient address rejected: User unknown in local recipient table",
                ["EXPN postmaster"] = "502 5.5.2 Error: command not recognized",
            },
        };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.UserEnumeration);

        Assert.StartsWith("VRFY confirms which users exist", finding.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Vrfy_252_for_every_name_is_fine()
    {
        var observation = Neutral() with
        {
            UserEnumeration = new Dictionary<string, string>
            {
                ["VRFY root"] = "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery",
                ["VRFY qzx81kwp"] = "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery",
            },
        };

        Assert.DoesNotContain(Evaluate(observation, inMx: true), f => f.Id == FindingIds.UserEnumeration);
    }

    [Fact]
    public void Vrfy_that_says_yes_to_a_random_name_confirms_anything()
    {
        var observation = Neutral() with
        {
            UserEnumeration = new Dictionary<string, string>
            {
                ["VRFY postmaster"] = "250 postmaster",
                ["VRFY qzx81kwp"] = "250 qzx81kwp",
            },
        };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.UserEnumeration);

        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("confirms any name", finding.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Vrfy_252_and_expn_502_are_fine()
    {
        var observation = Neutral() with
        {
            UserEnumeration = new Dictionary<string, string>
            {
                ["VRFY postmaster"] = "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery",
                ["EXPN postmaster"] = "502 5.5.1 Command not implemented",
            },
        };

        Assert.DoesNotContain(Evaluate(observation, inMx: true), f => f.Id == FindingIds.UserEnumeration);
    }

    [Fact]
    public void Auth_before_tls_is_high_with_the_ehlo_line()
    {
        var observation = Neutral() with
        {
            Ehlo = ["250-mail.example.org", "250-AUTH PLAIN LOGIN", "250-STARTTLS", "250 8BITMIME"],
            AuthBeforeTls = ["PLAIN", "LOGIN"],
        };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.AuthBeforeTls);

        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(["C: EHLO", "S: 250-AUTH PLAIN LOGIN"], finding.Evidence);
    }

    [Theory]
    [InlineData(25, Severity.Medium)]
    [InlineData(587, Severity.High)]
    [InlineData(2525, Severity.Medium)]
    public void Missing_starttls_is_medium_on_mta_ports_and_high_on_submission(int port, Severity expected)
    {
        var observation = Neutral(port) with { Ehlo = ["250-mail.example.org", "250 8BITMIME"], StartTlsOffered = false, Tls = null };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.StartTlsMissing);

        Assert.Equal(expected, finding.Severity);
    }

    [Fact]
    public void An_expired_certificate_is_high()
    {
        var observation = Neutral() with { Tls = Tls(notAfter: Now.AddDays(-3)) };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.CertificateExpired);

        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("2026-11-25", finding.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(25, true, null, Severity.Info)]
    [InlineData(2525, true, null, Severity.Info)]
    [InlineData(25, true, "testing", Severity.Low)]
    [InlineData(25, true, "enforce", Severity.High)]
    [InlineData(587, true, null, Severity.Medium)]
    [InlineData(465, true, null, Severity.Medium)]
    [InlineData(2525, false, null, Severity.Medium)]
    [InlineData(25, true, "published", Severity.Medium)]
    public void A_self_signed_certificate_matters_where_senders_verify(int port, bool inMx, string? mtaSts, Severity expected)
    {
        var observation = Neutral(port) with { Tls = Tls(selfSigned: true) };

        var finding = Assert.Single(Evaluate(observation, inMx, mtaSts), f => f.Id == FindingIds.CertificateUntrusted);

        Assert.Equal(expected, finding.Severity);
        Assert.Contains("self-signed", finding.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_name_is_reported_only_when_the_listener_was_found_by_name()
    {
        var byName = Neutral() with { Endpoint = new ListenerEndpoint(IPAddress.Loopback, 587, "mail.example.org"), Tls = Tls(nameMatches: false) };
        var byAddress = Neutral() with { Endpoint = new ListenerEndpoint(IPAddress.Loopback, 587), Tls = Tls(nameMatches: false) };

        var finding = Assert.Single(Evaluate(byName, inMx: true), f => f.Id == FindingIds.CertificateWrongName);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("expected: mail.example.org", finding.Evidence);
        Assert.DoesNotContain(Evaluate(byAddress, inMx: true), f => f.Id == FindingIds.CertificateWrongName);
    }

    [Fact]
    public void Legacy_tls_is_medium()
    {
        var observation = Neutral() with { Tls = Tls(legacy: ["TLSv1", "TLSv1.1"]) };

        var finding = Assert.Single(Evaluate(observation, inMx: true), f => f.Id == FindingIds.LegacyTls);

        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("TLSv1.1", finding.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listener_outside_the_mx_is_reported_with_the_mx_records()
    {
        var context = new ListenerContext { InMx = false, MxRecords = ["example.org MX 10 mx.example.org (127.0.0.2)"], Now = Now };

        var finding = Assert.Single(ListenerFindingRules.Evaluate(Neutral(), context), f => f.Id == FindingIds.NotInMx);

        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("Reachable mail server not in MX: protect it like the MX hosts", finding.Title);
        Assert.Equal(["S: 220 mx.example.org ESMTP", "MX: example.org MX 10 mx.example.org (127.0.0.2)"], finding.Evidence);
    }

    [Fact]
    public void Without_an_audited_domain_nobody_knows_the_mx_so_nothing_is_reported()
    {
        Assert.DoesNotContain(ListenerFindingRules.Evaluate(Neutral(), new ListenerContext { Now = Now }), f => f.Id == FindingIds.NotInMx);
    }

    [Fact]
    public void A_port_that_does_not_speak_smtp_gives_nothing()
    {
        var observation = new ListenerObservation { Endpoint = new ListenerEndpoint(IPAddress.Loopback, 25), Greeting = ["SSH-2.0-OpenSSH_9.2"] };

        Assert.Empty(ListenerFindingRules.Evaluate(observation, new ListenerContext { InMx = false, Now = Now }));
    }

    private static IReadOnlyList<Finding> Evaluate(ListenerObservation observation, bool inMx, string? mtaSts = null) =>
        ListenerFindingRules.Evaluate(observation, new ListenerContext { InMx = inMx, MtaStsMode = mtaSts, Now = Now });

    private static ListenerObservation Neutral(int port = 25) => new()
    {
        Endpoint = new ListenerEndpoint(IPAddress.Loopback, port),
        Greeting = ["220 mx.example.org ESMTP"],
        Ehlo = ["250-mx.example.org", "250-PIPELINING", "250-SIZE 10240000", "250-STARTTLS", "250 8BITMIME"],
        Keywords = ["PIPELINING", "SIZE", "STARTTLS", "8BITMIME"],
        StartTlsOffered = true,
        Tls = Tls(),
        ImplicitTls = port == 465,
        UserEnumeration = new Dictionary<string, string> { ["VRFY postmaster"] = "252 2.5.0 Cannot VRFY user" },
        RelayProbes = [new RelayProbeResult("external to external", "a@outside.test", "b@elsewhere.test", ["250 2.1.0 Ok", "554 5.7.1 Relay access denied"], false)],
    };

    private static TlsObservation Tls(
        DateTimeOffset? notAfter = null, bool selfSigned = false, bool nameMatches = true, IReadOnlyList<string>? legacy = null) =>
        new(
            Succeeded: true,
            Protocol: "Tls13",
            CertificateSubject: "CN=mx.example.org",
            CertificateNames: ["mx.example.org"],
            NotBefore: Now.AddYears(-1),
            NotAfter: notAfter ?? Now.AddYears(1),
            SelfSigned: selfSigned,
            ChainTrusted: !selfSigned,
            NameMatches: nameMatches,
            LegacyProtocolsAccepted: legacy ?? [],
            Error: null);
}
