using System.Security.Authentication;

namespace Moat.Audit.Probing;

/// <summary>
/// Does the server still accept TLS 1.0 or 1.1? First a real handshake limited to that version.
/// On a machine whose TLS library will not offer it (OpenSSL 3 at its default security level
/// sends an alert instead of a ClientHello), that says nothing about the server, so a hand-made
/// ClientHello asks instead, and the server's first record answers: a ServerHello for the version
/// or an alert. Only when neither gets an answer is the result "not testable here".
/// </summary>
internal static class LegacyTlsProbe
{
    public const string Accepted = "accepted";

    public const string Refused = "refused";

    public const string NotTestable = "not testable here";

    /// <param name="openAtHandshake">Opens a new connection up to the point where the TLS handshake starts (after "220" to STARTTLS, or at once for implicit TLS); null when the server no longer gets there.</param>
    public static async Task<string> RunAsync(
        Func<CancellationToken, Task<SmtpLineClient?>> openAtHandshake,
        SslProtocols protocol,
        ushort wireVersion,
        string? serverName,
        ProbeTranscript transcript,
        CancellationToken ct)
    {
        var name = TlsProtocolNames.Of(protocol);
        transcript.Note($"legacy TLS test: a handshake offering only {name}");
        var client = await openAtHandshake(ct).ConfigureAwait(false);
        if (client is null)
        {
            return NotTestable;
        }

        await using (client.ConfigureAwait(false))
        {
            client.Transport.StartRecording();
            try
            {
                var ssl = await client.StartTlsAsync(new TlsCapture().Options(serverName, protocol), ct).ConfigureAwait(false);
                var negotiated = TlsProtocolNames.Of(ssl.SslProtocol);
                transcript.Note($"{name}: handshake completed with {negotiated}");
                await QuitAsync(client, ct).ConfigureAwait(false);
                return negotiated == name ? Accepted : Refused;
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or ProbeAbortedException)
            {
                if (LegacyClientHello.IsHandshakeRecord(client.Transport.BytesWritten))
                {
                    // Our ClientHello went out, so whatever came back is the server's answer.
                    var answer = client.Transport.BytesRead.ToArray();
                    return Decide(LegacyClientHello.Classify(answer, wireVersion), answer, closed: ex is not ProbeAbortedException, name, transcript);
                }

                transcript.Note($"{name}: this machine's TLS library will not offer {name} ({ex.GetBaseException().Message}); asking with a hand-made ClientHello instead");
            }
        }

        var raw = await openAtHandshake(ct).ConfigureAwait(false);
        if (raw is null)
        {
            return NotTestable;
        }

        await using (raw.ConfigureAwait(false))
        {
            var (response, closed) = await raw.ExchangeRawAsync(
                LegacyClientHello.Build(wireVersion, serverName),
                bytes => LegacyClientHello.Classify(bytes, wireVersion) != LegacyTlsAnswer.Incomplete,
                ct).ConfigureAwait(false);
            return Decide(LegacyClientHello.Classify(response, wireVersion), response, closed, name, transcript);
        }
    }

    private static async Task QuitAsync(SmtpLineClient client, CancellationToken ct)
    {
        try
        {
            await client.CommandAsync(ProbeCommands.Quit, ct).ConfigureAwait(false);
        }
        catch (ProbeAbortedException)
        {
            // The answer to the test is already known; a server that closes first is fine.
        }
    }

    private static string Decide(LegacyTlsAnswer answer, byte[] response, bool closed, string name, ProbeTranscript transcript)
    {
        switch (answer)
        {
            case LegacyTlsAnswer.ServerHello:
                transcript.Note($"{name}: the server answered with a ServerHello for {name}: accepted");
                return Accepted;
            case LegacyTlsAnswer.Alert:
                transcript.Note($"{name}: the server answered with TLS alert {AlertName(response[6])}: refused");
                return Refused;
            case LegacyTlsAnswer.OtherVersion:
                transcript.Note($"{name}: the server answered with a ServerHello for another version: refused");
                return Refused;
            case LegacyTlsAnswer.Incomplete when response.Length == 0 && closed:
                transcript.Note($"{name}: the server closed the connection without a word: refused");
                return Refused;
            default:
                transcript.Note($"{name}: no usable answer ({response.Length} bytes, {(closed ? "closed" : "timed out")}): not testable here");
                return NotTestable;
        }
    }

    private static string AlertName(byte description) => description switch
    {
        40 => "40 (handshake_failure)",
        47 => "47 (illegal_parameter)",
        70 => "70 (protocol_version)",
        71 => "71 (insufficient_security)",
        80 => "80 (internal_error)",
        112 => "112 (unrecognized_name)",
        _ => description.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
