using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Audit.Discovery;

namespace Moat.Audit.Probing;

/// <summary>
/// Looks at one SMTP listener the way an attacker's scanner does: greeting and EHLO, VRFY/EXPN,
/// the texts of HELP and of errors, the open-relay tricks (each stopped after RCPT TO, never
/// DATA), STARTTLS and the certificate, and whether TLS 1.0/1.1 are still accepted. Each part
/// runs on its own connection, so a server that drops a client after a few errors (Postfix after
/// 20) still answers the rest.
/// </summary>
public sealed class SmtpProber
{
    private readonly ILogger _logger;

    public SmtpProber(ILogger<SmtpProber>? logger = null)
    {
        _logger = logger ?? NullLogger<SmtpProber>.Instance;
    }

    /// <summary>
    /// Probes the listener and returns what it showed, with the fingerprint filled in. Failures
    /// of the listener (refused, silent, closed, over a bound, over the listener time limit) end
    /// up in <see cref="ListenerObservation.Error"/> with everything learned up to then;
    /// only cancellation of <paramref name="ct"/> throws.
    /// </summary>
    public async Task<ListenerObservation> ProbeAsync(ListenerEndpoint endpoint, ProbeOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _logger.LogInformation("Probing SMTP listener {Endpoint}", endpoint);
        var observation = await new ListenerProbe(endpoint, options).RunAsync(ct).ConfigureAwait(false);
        if (observation.Error is not null)
        {
            _logger.LogInformation("Probing {Endpoint} stopped early: {Error}", endpoint, observation.Error);
        }

        return observation;
    }
}
