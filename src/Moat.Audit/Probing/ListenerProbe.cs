using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using Moat.Audit.Discovery;
using Moat.Audit.Fingerprints;

namespace Moat.Audit.Probing;

/// <summary>One run of <see cref="SmtpProber"/> against one listener: the sessions in order and what each learned.</summary>
internal sealed class ListenerProbe
{
    /// <summary>New connections the relay suite may open after the server dropped one (error limits, 421).</summary>
    private const int MaxRelayReconnects = 3;

    /// <summary>
    /// Relay probes per connection. Each refused RCPT counts as an error, and servers slow down
    /// (Postfix sleeps a second per error after 10) or hang up (after 20) on clients with many;
    /// a fresh connection every few probes keeps the suite fast and the server calm.
    /// </summary>
    private const int RelayProbesPerConnection = 6;

    private readonly ListenerEndpoint _endpoint;
    private readonly ProbeOptions _options;
    private readonly ProbeTranscript _transcript = new();
    private readonly bool _implicitTls;
    private readonly string? _serverName;
    private readonly List<string> _errors = [];

    private IReadOnlyList<string> _greeting = [];
    private IReadOnlyList<string> _ehlo = [];
    private IReadOnlyList<string> _keywords = [];
    private IReadOnlyList<string> _ehloAfterTls = [];
    private IReadOnlyList<string> _authBeforeTls = [];
    private TlsObservation? _tls;
    private readonly Dictionary<string, string> _userEnumeration = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _replies = new(StringComparer.Ordinal);
    private readonly List<RelayProbeResult> _relayProbes = [];

    public ListenerProbe(ListenerEndpoint endpoint, ProbeOptions options)
    {
        _endpoint = endpoint;
        _options = options;
        _implicitTls = options.ImplicitTlsPorts.Contains(endpoint.Port);
        _serverName = endpoint.HostName is { Length: > 0 } host && !IPAddress.TryParse(host, out _)
            ? host
            : options.MxHostNames.FirstOrDefault();
    }

    private bool SpeaksSmtp => _greeting.Count > 0 && _greeting[0].StartsWith("220", StringComparison.Ordinal);

    public async Task<ListenerObservation> RunAsync(CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_options.ListenerTimeout);
        try
        {
            await FirstSessionAsync(limit.Token).ConfigureAwait(false);
            if (SpeaksSmtp && _ehlo.Count > 0)
            {
                if (_options.RunRelayProbes)
                {
                    await RelaySessionsAsync(limit.Token).ConfigureAwait(false);
                }

                if (!_implicitTls && _keywords.Contains("STARTTLS"))
                {
                    await StartTlsSessionAsync(limit.Token).ConfigureAwait(false);
                }

                if (_tls is { Succeeded: true } && _options.RunLegacyTlsProbes)
                {
                    await LegacyTlsAsync(limit.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _transcript.Note("listener time limit reached");
            _errors.Add($"the listener time limit of {_options.ListenerTimeout.TotalSeconds:0} s was reached");
        }

        var observation = new ListenerObservation
        {
            Endpoint = _endpoint,
            Greeting = _greeting,
            Ehlo = _ehlo,
            Keywords = _keywords,
            EhloAfterTls = _ehloAfterTls,
            ImplicitTls = _implicitTls,
            StartTlsOffered = _keywords.Contains("STARTTLS"),
            Tls = _tls,
            AuthBeforeTls = _authBeforeTls,
            UserEnumeration = _userEnumeration,
            Replies = _replies,
            RelayProbes = _relayProbes,
            Error = _errors.Count == 0 ? null : string.Join("; ", _errors),
            Transcript = _transcript.Lines.ToList(),
        };
        return observation with { Fingerprint = Fingerprinter.Identify(observation) };
    }

    /// <summary>Greeting, EHLO, (implicit TLS,) VRFY/EXPN and the replies that tell products apart.</summary>
    private async Task FirstSessionAsync(CancellationToken ct)
    {
        SmtpLineClient client;
        try
        {
            client = await ConnectAsync(ct).ConfigureAwait(false);
        }
        catch (ProbeAbortedException ex)
        {
            _errors.Add(ex.Message);
            return;
        }

        await using (client.ConfigureAwait(false))
        {
            try
            {
                if (_implicitTls)
                {
                    _tls = await HandshakeAsync(client, ct).ConfigureAwait(false);
                    if (!_tls.Succeeded)
                    {
                        _errors.Add("implicit TLS handshake failed: " + _tls.Error);
                        return;
                    }
                }

                if (!await GreetingAsync(client, ct).ConfigureAwait(false))
                {
                    return;
                }

                if (!await HelloAsync(client, ct, record: true).ConfigureAwait(false))
                {
                    return;
                }

                await UserProbesAsync(client, ct).ConfigureAwait(false);
                await ProductProbesAsync(client, ct).ConfigureAwait(false);
            }
            catch (ProbeAbortedException ex)
            {
                _errors.Add(ex.Message);
            }
        }
    }

    private async Task<bool> GreetingAsync(SmtpLineClient client, CancellationToken ct)
    {
        ProbeReply greeting;
        try
        {
            greeting = await client.ReadReplyAsync(ct).ConfigureAwait(false);
        }
        catch (ProbeAbortedException ex)
        {
            throw new ProbeAbortedException("no SMTP greeting: " + ex.Message, ex);
        }

        _greeting = greeting.Lines;
        if (greeting.Code is null)
        {
            _errors.Add("not an SMTP service: the first line is not an SMTP reply");
            return false;
        }

        if (greeting.Code != 220)
        {
            // 554 at connect: the server turns us away (RFC 5321 §3.1) but is an SMTP server all the same.
            _errors.Add("the server refused the session: " + greeting.Lines[0]);
            await QuitAsync(client, ct, record: false).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>EHLO, and HELO when EHLO is refused. With <paramref name="record"/> the replies are kept (first session only).</summary>
    private async Task<bool> HelloAsync(SmtpLineClient client, CancellationToken ct, bool record)
    {
        var ehlo = await client.CommandAsync("EHLO " + _options.HeloName, ct).ConfigureAwait(false);
        ThrowIfClosing(ehlo);
        if (ehlo.IsCompletion)
        {
            if (record)
            {
                _ehlo = ehlo.Lines;
                _keywords = EhloKeywords.Parse(ehlo.Lines);
                _authBeforeTls = _implicitTls ? [] : EhloKeywords.AuthMechanisms(ehlo.Lines);
            }

            return true;
        }

        if (record)
        {
            _replies[ProbeCommands.Ehlo] = ehlo.Text;
        }

        var helo = await client.CommandAsync("HELO " + _options.HeloName, ct).ConfigureAwait(false);
        ThrowIfClosing(helo);
        if (!helo.IsCompletion)
        {
            if (record)
            {
                _errors.Add("the server refused both EHLO and HELO: " + helo.Lines[0]);
            }

            return false;
        }

        if (record)
        {
            _ehlo = helo.Lines;
        }

        return true;
    }

    /// <summary>
    /// VRFY, then EXPN, of each probe name and a random one. When a server says it does not
    /// implement the command at all (500/502), the remaining names are not asked: the answer
    /// would be the same, and each refusal counts against the server's error limit.
    /// </summary>
    private async Task UserProbesAsync(SmtpLineClient client, CancellationToken ct)
    {
        List<string> names = [.. _options.ProbeUsers];
        if (_options.ProbeRandomUser)
        {
            names.Add(RandomName());
        }

        foreach (var verb in new[] { "VRFY", "EXPN" })
        {
            foreach (var name in names)
            {
                var command = $"{verb} {name}";
                var reply = await client.CommandAsync(command, ct).ConfigureAwait(false);
                ThrowIfClosing(reply);
                _userEnumeration[command] = reply.Text;
                if (reply.Code is 500 or 502)
                {
                    break;
                }
            }
        }
    }

    /// <summary>HELP, an unknown verb, a malformed sender, NOOP, RSET and QUIT: their texts tell products apart.</summary>
    private async Task ProductProbesAsync(SmtpLineClient client, CancellationToken ct)
    {
        foreach (var command in new[] { ProbeCommands.Help, ProbeCommands.UnknownCommand, ProbeCommands.BadMailFrom, ProbeCommands.Noop, ProbeCommands.Rset })
        {
            var reply = await client.CommandAsync(command, ct).ConfigureAwait(false);
            ThrowIfClosing(reply);
            _replies[command] = reply.Text;
        }

        await QuitAsync(client, ct, record: true).ConfigureAwait(false);
    }

    /// <summary>
    /// The open-relay suite: RSET, MAIL FROM, RCPT TO per trick; a 2xx to RCPT is an accepted
    /// recipient, whatever the server would do later (smtp-sink and aiosmtpd accept any recipient
    /// and so are open relays at the SMTP level). DATA is never sent. A few probes per
    /// connection; when the server drops one, the next continues where it stopped, a bounded
    /// number of times.
    /// </summary>
    private async Task RelaySessionsAsync(CancellationToken ct)
    {
        var ownDomain = _options.Domains.FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)) ?? DomainOfHost(_endpoint.HostName);
        var probes = RelayProbeSuite.Build(_options.ExternalDomain, ownDomain, _endpoint.Address);
        var next = 0;
        var reconnects = 0;
        var brokenBy = -1;
        while (next < probes.Count)
        {
            var inProbe = false;
            try
            {
                var client = await OpenSessionAsync(ct).ConfigureAwait(false);
                if (client is null)
                {
                    _errors.Add("relay probes: the server no longer accepts a session");
                    return;
                }

                await using (client.ConfigureAwait(false))
                {
                    for (var sent = 0; next < probes.Count && sent < RelayProbesPerConnection; next++, sent++)
                    {
                        inProbe = true;
                        _relayProbes.Add(await RelayProbeAsync(client, probes[next], ct).ConfigureAwait(false));
                        inProbe = false;
                    }

                    var rset = await client.CommandAsync(ProbeCommands.Rset, ct).ConfigureAwait(false);
                    ThrowIfClosing(rset);
                    await QuitAsync(client, ct, record: false).ConfigureAwait(false);
                }
            }
            catch (ProbeAbortedException ex)
            {
                if (inProbe && brokenBy == next)
                {
                    // The same probe broke two connections: record it as not accepted and go on.
                    var probe = probes[next];
                    _relayProbes.Add(new RelayProbeResult(probe.Trick, probe.MailFrom, probe.RcptTo, [ex.Message], false));
                    next++;
                }
                else if (inProbe)
                {
                    brokenBy = next;
                }

                if (++reconnects > MaxRelayReconnects)
                {
                    _errors.Add($"relay probes stopped after {reconnects} lost connections: {ex.Message}");
                    return;
                }

                _transcript.Note($"relay probes: connection lost ({ex.Message}); reconnecting");
            }
        }
    }

    private static async Task<RelayProbeResult> RelayProbeAsync(SmtpLineClient client, RelayProbe probe, CancellationToken ct)
    {
        var rset = await client.CommandAsync(ProbeCommands.Rset, ct).ConfigureAwait(false);
        ThrowIfClosing(rset);
        var mail = await client.CommandAsync($"MAIL FROM:<{probe.MailFrom}>", ct).ConfigureAwait(false);
        ThrowIfClosing(mail);
        if (!mail.IsCompletion)
        {
            return new RelayProbeResult(probe.Trick, probe.MailFrom, probe.RcptTo, [mail.Text], false);
        }

        var rcpt = await client.CommandAsync($"RCPT TO:<{probe.RcptTo}>", ct).ConfigureAwait(false);
        ThrowIfClosing(rcpt);
        return new RelayProbeResult(probe.Trick, probe.MailFrom, probe.RcptTo, [mail.Text, rcpt.Text], rcpt.IsCompletion);
    }

    /// <summary>STARTTLS, the certificate, and EHLO again under TLS.</summary>
    private async Task StartTlsSessionAsync(CancellationToken ct)
    {
        try
        {
            var client = await OpenSessionAsync(ct).ConfigureAwait(false);
            if (client is null)
            {
                return;
            }

            await using (client.ConfigureAwait(false))
            {
                var reply = await client.CommandAsync("STARTTLS", ct).ConfigureAwait(false);
                ThrowIfClosing(reply);
                if (reply.Code != 220)
                {
                    _tls = Failed("STARTTLS refused: " + reply.Text);
                    await QuitAsync(client, ct, record: false).ConfigureAwait(false);
                    return;
                }

                _tls = await HandshakeAsync(client, ct).ConfigureAwait(false);
                if (!_tls.Succeeded)
                {
                    return;
                }

                var ehlo = await client.CommandAsync("EHLO " + _options.HeloName, ct).ConfigureAwait(false);
                ThrowIfClosing(ehlo);
                if (ehlo.IsCompletion)
                {
                    _ehloAfterTls = ehlo.Lines;
                }

                await QuitAsync(client, ct, record: false).ConfigureAwait(false);
            }
        }
        catch (ProbeAbortedException ex)
        {
            _errors.Add("STARTTLS session: " + ex.Message);
            _tls ??= Failed(ex.Message);
        }
    }

    private async Task LegacyTlsAsync(CancellationToken ct)
    {
        var tests = new Dictionary<string, string>(StringComparer.Ordinal);
#pragma warning disable SYSLIB0039 // Offering the deprecated versions is the test.
        var protocols = new[] { (SslProtocols.Tls, LegacyClientHello.Tls10), (SslProtocols.Tls11, LegacyClientHello.Tls11) };
#pragma warning restore SYSLIB0039
        foreach (var (protocol, wire) in protocols)
        {
            var name = TlsProtocolNames.Of(protocol);
            try
            {
                tests[name] = await LegacyTlsProbe.RunAsync(OpenAtHandshakeAsync, protocol, wire, _serverName, _transcript, ct).ConfigureAwait(false);
            }
            catch (ProbeAbortedException ex)
            {
                _transcript.Note($"{name}: {ex.Message}");
                tests[name] = LegacyTlsProbe.NotTestable;
            }
        }

        _tls = _tls! with
        {
            LegacyProtocolsAccepted = tests.Where(t => t.Value == LegacyTlsProbe.Accepted).Select(t => t.Key).ToList(),
            LegacyProtocolTests = tests,
        };
    }

    /// <summary>A new connection up to the start of the TLS handshake, or null when the server no longer offers STARTTLS.</summary>
    private async Task<SmtpLineClient?> OpenAtHandshakeAsync(CancellationToken ct)
    {
        var client = await ConnectAsync(ct).ConfigureAwait(false);
        try
        {
            if (_implicitTls)
            {
                return client;
            }

            var greeting = await client.ReadReplyAsync(ct).ConfigureAwait(false);
            if (greeting.Code == 220 && await HelloAsync(client, ct, record: false).ConfigureAwait(false))
            {
                var reply = await client.CommandAsync("STARTTLS", ct).ConfigureAwait(false);
                if (reply.Code == 220)
                {
                    return client;
                }
            }

            await client.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new connection greeted and past EHLO (over TLS on implicit-TLS ports), or null when the server turns it away.</summary>
    private async Task<SmtpLineClient?> OpenSessionAsync(CancellationToken ct)
    {
        var client = await ConnectAsync(ct).ConfigureAwait(false);
        try
        {
            if (_implicitTls)
            {
                var tls = await HandshakeAsync(client, ct).ConfigureAwait(false);
                if (!tls.Succeeded)
                {
                    throw new ProbeAbortedException("TLS handshake failed: " + tls.Error);
                }
            }

            var greeting = await client.ReadReplyAsync(ct).ConfigureAwait(false);
            ThrowIfClosing(greeting);
            if (greeting.Code == 220 && await HelloAsync(client, ct, record: false).ConfigureAwait(false))
            {
                return client;
            }

            await client.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task<SmtpLineClient> ConnectAsync(CancellationToken ct) =>
        SmtpLineClient.ConnectAsync(new IPEndPoint(_endpoint.Address, _endpoint.Port), _options.ConnectTimeout, _options.ReplyTimeout, _transcript, ct);

    private async Task<TlsObservation> HandshakeAsync(SmtpLineClient client, CancellationToken ct)
    {
        var capture = new TlsCapture();
        try
        {
            var ssl = await client.StartTlsAsync(capture.Options(_serverName, SslProtocols.None), ct).ConfigureAwait(false);
            var protocol = TlsProtocolNames.Of(ssl.SslProtocol);
            var cipher = ssl.NegotiatedCipherSuite.ToString();
            _transcript.Note($"TLS handshake: {protocol}, {cipher}, certificate {capture.Certificate?.Subject ?? "(none)"}");
            return Observe(capture, protocol, cipher, null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or ProbeAbortedException)
        {
            var why = ex.GetBaseException().Message;
            _transcript.Note("TLS handshake failed: " + why);
            return Observe(capture, null, null, why);
        }
    }

    private TlsObservation Observe(TlsCapture capture, string? protocol, string? cipher, string? error)
    {
        var certificate = capture.Certificate;
        List<string> namesChecked = [];
        if (_endpoint.HostName is { Length: > 0 } host && !IPAddress.TryParse(host, out _))
        {
            namesChecked.Add(host);
        }

        namesChecked.AddRange(_options.MxHostNames.Where(n => !namesChecked.Contains(n, StringComparer.OrdinalIgnoreCase)));
        if (certificate is null)
        {
            return Failed(error ?? "no certificate") with { NamesChecked = namesChecked };
        }

        var names = CertificateFacts.Names(certificate);
        return new TlsObservation(
            Succeeded: error is null,
            Protocol: protocol,
            CertificateSubject: certificate.Subject,
            CertificateNames: names,
            NotBefore: new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter: new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            SelfSigned: CertificateFacts.IsSelfSigned(certificate),
            ChainTrusted: (capture.PolicyErrors & SslPolicyErrors.RemoteCertificateChainErrors) == 0,
            NameMatches: CertificateFacts.NameMatches(names, namesChecked),
            LegacyProtocolsAccepted: [],
            Error: error)
        {
            CertificateIssuer = certificate.Issuer,
            CipherSuite = cipher,
            ChainStatus = capture.ChainStatus,
            NamesChecked = namesChecked,
        };
    }

    private static TlsObservation Failed(string error) =>
        new(false, null, null, [], null, null, false, false, false, [], error);

    private async Task QuitAsync(SmtpLineClient client, CancellationToken ct, bool record)
    {
        try
        {
            var reply = await client.CommandAsync(ProbeCommands.Quit, ct).ConfigureAwait(false);
            if (record)
            {
                _replies[ProbeCommands.Quit] = reply.Text;
            }
        }
        catch (ProbeAbortedException)
        {
            // Closing without a 221 is the server's business; everything else is already recorded.
        }
    }

    /// <summary>421 (RFC 5321 §3.8): the server is closing the session; nothing more will be answered.</summary>
    private static void ThrowIfClosing(ProbeReply reply)
    {
        if (reply.Code == 421)
        {
            throw new ProbeAbortedException("the server ended the session: " + reply.Lines[0]);
        }
    }

    /// <summary>A name no mailbox has: a server that confirms it confirms anything.</summary>
    private static string RandomName() =>
        "q" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 9);

    /// <summary>mx.example.org → example.org: the domain a host most likely receives for, when none was given.</summary>
    private static string? DomainOfHost(string? host)
    {
        if (host is null || IPAddress.TryParse(host, out _))
        {
            return null;
        }

        var dot = host.IndexOf('.');
        return dot > 0 && host.IndexOf('.', dot + 1) > 0 ? host[(dot + 1)..] : host;
    }
}
