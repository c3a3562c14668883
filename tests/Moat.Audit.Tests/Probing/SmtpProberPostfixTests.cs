using Moat.Audit.Discovery;
using Moat.Audit.Fingerprints;
using Moat.Audit.Probing;
using Moat.Audit.Tests.Probing.Support;
using Moat.Audit.Tests.Support;
using Xunit.Abstractions;

namespace Moat.Audit.Tests.Probing;

/// <summary>The prober against a real Postfix, set up leaky and hardened (see <see cref="PostfixProfile"/>).</summary>
[Collection("Postfix")]
public sealed class SmtpProberPostfixTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Leaky_postfix_shows_its_version_confirms_users_and_relays()
    {
        using var postfix = await PostfixServer.StartAsync(PostfixProfile.Leaky);

        var observation = await ProbeAsync(postfix);
        TranscriptCapture.Save("postfix-leaky", $"Postfix {postfix.Version} (Debian), leaky profile of PostfixServer", observation);

        Assert.Null(observation.Error);
        Assert.Equal($"220 {postfix.HostName} ESMTP Postfix {postfix.Version} (Debian)", Assert.Single(observation.Greeting));
        Assert.Equal(["PIPELINING", "SIZE", "VRFY", "ETRN", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"], observation.Keywords);
        Assert.Equal("252 2.0.0 root", observation.UserEnumeration["VRFY root"]);
        var random = Assert.Single(observation.UserEnumeration, e => e.Key.StartsWith("VRFY q", StringComparison.Ordinal));
        Assert.StartsWith("550 5.1.1 <", random.Value, StringComparison.Ordinal);
        Assert.Equal("500 5.5.2 Error: command not recognized", observation.UserEnumeration["EXPN postmaster"]);
        Assert.Single(observation.UserEnumeration, e => e.Key.StartsWith("EXPN", StringComparison.Ordinal));
        Assert.Equal("501 5.1.7 Bad sender address syntax", observation.Replies[ProbeCommands.BadMailFrom]);

        Assert.NotEmpty(observation.RelayProbes);
        Assert.All(observation.RelayProbes, p => Assert.True(p.Accepted, $"{p.Trick}: {string.Join(" | ", p.Replies)}"));
        var plain = Assert.Single(observation.RelayProbes, p => p.Trick == RelayTricks.ExternalToExternal);
        Assert.Equal(["250 2.1.0 Ok", "250 2.1.5 Ok"], plain.Replies);

        Assert.False(observation.StartTlsOffered);
        Assert.Null(observation.Tls);
        Assert.Equal(ProductNames.Postfix, observation.Fingerprint.Product);
        Assert.Equal(postfix.Version, observation.Fingerprint.Version);
        Assert.True(observation.Fingerprint.Confidence > 0.9, $"confidence {observation.Fingerprint.Confidence}");
        AssertNeverData(observation);
    }

    [Fact]
    public async Task Hardened_postfix_refuses_every_relay_trick_and_offers_tls_with_a_self_signed_certificate()
    {
        using var postfix = await PostfixServer.StartAsync(PostfixProfile.Hardened);

        var observation = await ProbeAsync(postfix);
        TranscriptCapture.Save("postfix-hardened", $"Postfix {postfix.Version} (Debian), hardened profile of PostfixServer", observation);

        Assert.Null(observation.Error);
        Assert.Equal($"220 {postfix.HostName} ESMTP Postfix", Assert.Single(observation.Greeting));
        Assert.Equal("502 5.5.1 VRFY command is disabled", observation.UserEnumeration["VRFY postmaster"]);
        Assert.DoesNotContain("VRFY", observation.Keywords);

        Assert.True(observation.RelayProbes.Count >= 10, $"{observation.RelayProbes.Count} relay probes");
        Assert.All(observation.RelayProbes, p =>
        {
            Assert.False(p.Accepted, p.Trick);
            Assert.StartsWith("5", p.Replies[^1], StringComparison.Ordinal);
        });
        Assert.Contains(observation.RelayProbes, p => p.Replies[^1] == "554 5.7.1 <victim@relay-test.invalid>: Relay access denied");

        Assert.True(observation.StartTlsOffered);
        var tls = Assert.IsType<TlsObservation>(observation.Tls);
        Assert.True(tls.Succeeded, tls.Error);
        Assert.Contains(tls.Protocol, new[] { "TLSv1.2", "TLSv1.3" });
        Assert.Equal("CN=" + postfix.HostName, tls.CertificateSubject);
        Assert.Equal([postfix.HostName], tls.CertificateNames);
        Assert.True(tls.SelfSigned);
        Assert.False(tls.ChainTrusted);
        Assert.Contains("UntrustedRoot", tls.ChainStatus);
        Assert.True(tls.NameMatches);
        Assert.Equal([postfix.HostName], tls.NamesChecked);
        Assert.True(tls.NotAfter > DateTimeOffset.UtcNow && tls.NotBefore < DateTimeOffset.UtcNow);
        Assert.Empty(tls.LegacyProtocolsAccepted);
        Assert.Equal(["TLSv1.0", "TLSv1.1"], tls.LegacyProtocolTests.Keys.Order(StringComparer.Ordinal));
        Assert.All(tls.LegacyProtocolTests.Values, v => Assert.Equal("refused", v));
        Assert.Contains("250-" + postfix.HostName, observation.EhloAfterTls);
        Assert.DoesNotContain("250-STARTTLS", observation.EhloAfterTls);

        Assert.Equal(ProductNames.Postfix, observation.Fingerprint.Product);
        Assert.Null(observation.Fingerprint.Version);
        AssertNeverData(observation);
    }

    [Fact]
    public async Task A_certificate_for_another_name_does_not_match()
    {
        using var postfix = await PostfixServer.StartAsync(PostfixProfile.Hardened);
        var endpoint = new ListenerEndpoint(postfix.Address, postfix.Port, "mail.other.test");

        var observation = await new SmtpProber().ProbeAsync(endpoint, Options(postfix) with { RunRelayProbes = false, RunLegacyTlsProbes = false }, CancellationToken.None);

        var tls = Assert.IsType<TlsObservation>(observation.Tls);
        Assert.True(tls.Succeeded, tls.Error);
        Assert.False(tls.NameMatches);
        Assert.Equal(["mail.other.test"], tls.NamesChecked);
        Assert.Empty(observation.RelayProbes);
    }

    [Fact]
    public async Task Postfix_with_a_neutral_banner_is_still_recognised_by_its_replies()
    {
        using var postfix = await PostfixServer.StartAsync(PostfixProfile.Hardened, new PostfixServerOptions { Banner = "$myhostname ESMTP" });

        var observation = await ProbeAsync(postfix);
        TranscriptCapture.Save("postfix-neutral", $"Postfix {postfix.Version} (Debian), hardened profile with smtpd_banner = $myhostname ESMTP", observation);

        Assert.Equal($"220 {postfix.HostName} ESMTP", Assert.Single(observation.Greeting));
        Assert.Equal(ProductNames.Postfix, observation.Fingerprint.Product);
        Assert.True(observation.Fingerprint.Scores.GetValueOrDefault(ProductNames.Moat) < observation.Fingerprint.Scores[ProductNames.Postfix] - 1);
    }

    [Fact]
    public async Task Postfix_that_still_speaks_tls_1_0_and_1_1_is_reported()
    {
        using var postfix = await PostfixServer.StartAsync(PostfixProfile.Hardened, new PostfixServerOptions { LegacyTls = true });

        var observation = await new SmtpProber().ProbeAsync(Endpoint(postfix), Options(postfix) with { RunRelayProbes = false }, CancellationToken.None);
        output.WriteLine(string.Join('\n', observation.Transcript.Where(l => l.StartsWith("--", StringComparison.Ordinal))));

        var tls = Assert.IsType<TlsObservation>(observation.Tls);
        Assert.True(tls.Succeeded, tls.Error);
        Assert.Equal(["TLSv1.0", "TLSv1.1"], tls.LegacyProtocolsAccepted.Order(StringComparer.Ordinal));
    }

    private async Task<ListenerObservation> ProbeAsync(PostfixServer postfix)
    {
        var observation = await new SmtpProber().ProbeAsync(Endpoint(postfix), Options(postfix), CancellationToken.None);
        output.WriteLine(string.Join('\n', observation.Transcript));
        return observation;
    }

    private static ListenerEndpoint Endpoint(PostfixServer postfix) => new(postfix.Address, postfix.Port, postfix.HostName);

    private static ProbeOptions Options(PostfixServer postfix) => new()
    {
        Domains = [postfix.Domain],
        ReplyTimeout = TimeSpan.FromSeconds(15),
        ListenerTimeout = TimeSpan.FromSeconds(90),
    };

    internal static void AssertNeverData(ListenerObservation observation)
    {
        Assert.DoesNotContain(observation.Transcript, l => l.StartsWith("C: DATA", StringComparison.OrdinalIgnoreCase) || l.StartsWith("C: BDAT", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("C: QUIT", observation.Transcript);
    }
}
