using Moat.Audit.Discovery;
using Moat.Audit.Fingerprints;
using Moat.Audit.Probing;
using Moat.Audit.Tests.Probing.Support;
using Moat.Testing;
using Xunit.Abstractions;

namespace Moat.Audit.Tests.Probing;

/// <summary>The prober against Postfix's smtp-sink and Python's aiosmtpd: servers that take any recipient.</summary>
public sealed class SmtpProberSinkTests(ITestOutputHelper output)
{
    private static readonly ProbeOptions Options = new()
    {
        Domains = ["audit-sink.test"],
        ReplyTimeout = TimeSpan.FromSeconds(15),
        ListenerTimeout = TimeSpan.FromSeconds(90),
    };

    [Fact]
    public async Task Smtp_sink_accepts_every_relay_trick_and_is_recognised()
    {
        using var sink = await SmtpSinkServer.StartAsync(dump: true);

        var observation = await ProbeAsync(sink.Host, sink.Port);
        TranscriptCapture.Save("smtp-sink", "Postfix smtp-sink (Debian postfix package), started as SmtpSinkServer does", observation);

        Assert.Null(observation.Error);
        Assert.Equal("220 smtp-sink ESMTP", Assert.Single(observation.Greeting));
        Assert.Equal("250 ", observation.Ehlo[^1]);
        Assert.Equal(["PLAIN", "LOGIN"], observation.AuthBeforeTls);
        Assert.All(observation.UserEnumeration.Where(e => e.Key.StartsWith("VRFY", StringComparison.Ordinal)), e => Assert.Equal("250 2.0.0 Ok", e.Value));
        Assert.Equal("500 5.5.1 Error: unknown command", observation.Replies[ProbeCommands.UnknownCommand]);
        Assert.Equal("250 2.1.0 Ok", observation.Replies[ProbeCommands.Rset]);
        Assert.NotEmpty(observation.RelayProbes);
        Assert.All(observation.RelayProbes, p => Assert.True(p.Accepted, p.Trick));
        Assert.Equal(ProductNames.PostfixSmtpSink, observation.Fingerprint.Product);
        Assert.Null(observation.Fingerprint.Version);

        SmtpProberPostfixTests.AssertNeverData(observation);
        await Task.Delay(200);
        Assert.Equal(0, sink.MessageCount);
    }

    [Fact]
    public async Task Aiosmtpd_is_recognised_with_its_version_and_never_receives_a_message()
    {
        using var aiosmtpd = await AioSmtpdServer.StartAsync();

        var observation = await ProbeAsync(aiosmtpd.Host, aiosmtpd.Port);
        TranscriptCapture.Save("aiosmtpd", "Python aiosmtpd (Debian python3-aiosmtpd), started as AioSmtpdServer does", observation);

        Assert.Null(observation.Error);
        Assert.Matches(@"^220 \S+ Python SMTP \d+\.\d+", Assert.Single(observation.Greeting));
        Assert.Equal(ProductNames.Aiosmtpd, observation.Fingerprint.Product);
        Assert.Matches(@"^\d+\.\d+\.\d+$", observation.Fingerprint.Version);
        Assert.Contains(observation.Fingerprint.Version!, observation.Greeting[0], StringComparison.Ordinal);

        // Any well-formed recipient is taken at RCPT: an open relay as far as SMTP shows, and
        // reported so. Only the address its parser refuses (the trailing dot) is not taken.
        Assert.True(Assert.Single(observation.RelayProbes, p => p.Trick == RelayTricks.ExternalToExternal).Accepted);
        var refused = Assert.Single(observation.RelayProbes, p => !p.Accepted);
        Assert.Equal(RelayTricks.ExternalToExternalTrailingDot, refused.Trick);
        Assert.Equal("553 5.1.3 Error: malformed address", refused.Replies[^1]);
        Assert.False(observation.StartTlsOffered);

        SmtpProberPostfixTests.AssertNeverData(observation);
        await Task.Delay(200);
        Assert.Empty(aiosmtpd.Messages());
    }

    [Fact]
    public async Task Aiosmtpd_with_starttls_shows_its_self_signed_localhost_certificate()
    {
        using var aiosmtpd = await AioSmtpdServer.StartAsync(new AioSmtpdOptions { StartTls = true });

        var observation = await ProbeAsync(aiosmtpd.Host, aiosmtpd.Port, Options with { RunRelayProbes = false });

        Assert.True(observation.StartTlsOffered);
        var tls = Assert.IsType<TlsObservation>(observation.Tls);
        Assert.True(tls.Succeeded, tls.Error);
        Assert.Equal("CN=localhost", tls.CertificateSubject);
        Assert.True(tls.SelfSigned);
        Assert.False(tls.ChainTrusted);
        Assert.False(tls.NameMatches);
        Assert.Empty(tls.NamesChecked);
        Assert.NotEmpty(observation.EhloAfterTls);
        Assert.Equal(ProductNames.Aiosmtpd, observation.Fingerprint.Product);
        Assert.Empty(aiosmtpd.Messages());
    }

    private async Task<ListenerObservation> ProbeAsync(string host, int port, ProbeOptions? options = null)
    {
        var endpoint = new ListenerEndpoint(System.Net.IPAddress.Parse(host), port);
        var observation = await new SmtpProber().ProbeAsync(endpoint, options ?? Options, CancellationToken.None);
        output.WriteLine(string.Join('\n', observation.Transcript));
        return observation;
    }
}
