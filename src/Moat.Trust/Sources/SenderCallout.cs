using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsClient;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moat.Trust.Sources;

/// <summary>
/// Asks the envelope sender's own MX whether the sender address takes mail: EHLO, MAIL FROM,
/// RCPT TO:&lt;sender&gt;, RSET, QUIT — never DATA, so nothing is ever delivered. Answers are
/// cached by address (positive, negative and temporary with their own lifetimes) and probes are
/// capped per domain, so a flood of mail claiming one domain cannot turn us into a tool against it.
/// Thread-safe; one instance serves the whole process.
/// </summary>
public sealed class SenderCallout
{
    private const int MaxAddressLength = 254;

    /// <summary>RSET and QUIT after the answer is known should not hold the caller up for a full command timeout.</summary>
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(2);

    private readonly ILookupClient dns;
    private readonly SenderCalloutOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly CalloutCache cache;
    private readonly CalloutRateLimiter limiter;

    public SenderCallout(ILookupClient dns, SenderCalloutOptions options, ILogger<SenderCallout>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.HeloName);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnectAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CommandTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ProbeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PositiveTtl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NegativeTtl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TempFailTtl, TimeSpan.Zero);
        if (options.HeloName.AsSpan().IndexOfAny('\r', '\n') >= 0 || options.ProbeSender.AsSpan().IndexOfAny("\r\n<>") >= 0)
        {
            throw new ArgumentException("the HELO name and probe sender cannot contain CR, LF or angle brackets", nameof(options));
        }

        this.dns = dns;
        this.options = options;
        this.logger = logger ?? NullLogger<SenderCallout>.Instance;
        time = timeProvider ?? TimeProvider.System;
        cache = new CalloutCache(options.MaxCacheEntries);
        limiter = new CalloutRateLimiter(options.MaxProbesPerDomain, options.ProbeWindow, options.MaxTrackedDomains);
    }

    /// <summary>Number of cached answers (for metrics and tests).</summary>
    public int CachedCount => cache.Count;

    /// <summary>Probes the MX of <paramref name="sender"/>'s domain, or answers from the cache.</summary>
    /// <param name="sender">The MAIL FROM address without angle brackets; null or empty for the null sender.</param>
    public async Task<CalloutResult> ProbeAsync(string? sender, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sender))
        {
            return new CalloutResult(CalloutOutcome.Skipped, string.Empty, "callout skipped: null sender");
        }

        if (!TrySplit(sender, out var local, out var domain, out var problem))
        {
            return new CalloutResult(CalloutOutcome.Skipped, EvidenceText.Printable(sender), $"callout skipped: {problem}");
        }

        var address = local + "@" + domain;
        if (cache.TryGet(address, time.GetUtcNow(), out var cached))
        {
            return cached with { FromCache = true };
        }

        if (!limiter.TryAcquire(domain, time.GetUtcNow()))
        {
            var skipped = new CalloutResult(
                CalloutOutcome.Skipped, address,
                $"callout skipped: the cap of {options.MaxProbesPerDomain} probes per {options.ProbeWindow} for {domain} is reached");
            // Debug: during a flood this would be one line per message.
            logger.LogDebug("Sender callout {Address}: {Outcome} ({Detail})", address, skipped.Outcome, skipped.Detail);
            return skipped;
        }

        CalloutResult result;
        using (var budget = new CancellationTokenSource(options.ProbeTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token))
        {
            try
            {
                result = await ProbeUncachedAsync(address, local, domain, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = TempFail(address, null, $"the probe took longer than {options.ProbeTimeout.TotalSeconds:0.###} s");
            }
        }

        var ttl = result.Outcome switch
        {
            CalloutOutcome.Accepted => options.PositiveTtl,
            CalloutOutcome.Rejected => options.NegativeTtl,
            CalloutOutcome.TempFail => options.TempFailTtl,
            _ => TimeSpan.Zero,
        };
        if (ttl > TimeSpan.Zero)
        {
            cache.Set(address, result, time.GetUtcNow() + ttl);
        }

        logger.LogInformation("Sender callout {Address} at {Host}: {Outcome} ({Detail})", address, result.Host ?? "-", result.Outcome, result.Detail);
        return result;
    }

    private async Task<CalloutResult> ProbeUncachedAsync(string address, string local, string domain, CancellationToken cancellationToken)
    {
        var mail = await MailDomain.ResolveAsync(dns, domain, cancellationToken).ConfigureAwait(false);
        switch (mail.Status)
        {
            case MailDomainStatus.DoesNotExist:
                return new CalloutResult(CalloutOutcome.Rejected, address, $"callout rejected: {domain} does not exist (NXDOMAIN)");
            case MailDomainStatus.NullMx:
                return new CalloutResult(CalloutOutcome.Rejected, address, $"callout rejected: {domain} publishes a null MX (RFC 7505)");
            case MailDomainStatus.NoMailHost:
                return new CalloutResult(CalloutOutcome.Rejected, address, $"callout rejected: {domain} has neither MX nor address records");
            case MailDomainStatus.Failed:
                return new CalloutResult(CalloutOutcome.TempFail, address, $"callout temporary failure: {mail.Error}");
        }

        var needsUtf8 = !Ascii.IsValid(local);
        var attempts = 0;
        string? lastFailure = null;
        foreach (var exchanger in mail.Exchangers)
        {
            var lookup = await SourceLookup.AddressesAsync(dns, exchanger.Host, cancellationToken).ConfigureAwait(false);
            if (lookup.Status == SourceLookupStatus.Failed)
            {
                lastFailure = lookup.Error;
                continue;
            }

            foreach (var ip in lookup.Addresses)
            {
                if (!options.AllowNonPublicAddresses && !AddressScopes.IsPublic(ip))
                {
                    lastFailure ??= $"{exchanger.Host} has the non-public address {ip}, which is not probed";
                    continue;
                }

                if (attempts++ >= options.MaxConnectAttempts)
                {
                    return TempFail(address, exchanger.Host, $"{lastFailure} (gave up after {options.MaxConnectAttempts} hosts)");
                }

                var (result, tryNext) = await ConverseAsync(address, needsUtf8, exchanger.Host, new IPEndPoint(ip, options.Port), cancellationToken)
                    .ConfigureAwait(false);
                if (!tryNext)
                {
                    return result;
                }

                lastFailure = result.Detail;
            }
        }

        return TempFail(address, null, lastFailure ?? $"no address for the mail hosts of {domain}");
    }

    /// <summary>One SMTP session. <c>tryNext</c> is true when the host could not be talked to at all, so another MX may be tried.</summary>
    private async Task<(CalloutResult Result, bool TryNext)> ConverseAsync(
        string address, bool needsUtf8, string host, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        CalloutSmtpClient client;
        try
        {
            client = await CalloutSmtpClient.ConnectAsync(endPoint, options.ConnectTimeout, options.CommandTimeout, time, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or IOException)
        {
            return (TempFail(address, host, $"cannot connect to {host} ({endPoint}): {ex.Message}"), true);
        }

        await using (client.ConfigureAwait(false))
        {
            var stage = "greeting";
            try
            {
                var greeting = await client.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                if (!greeting.IsPositive)
                {
                    await GoodbyeAsync(client, rset: false).ConfigureAwait(false);
                    return (TempFail(address, host, $"{host} greeted with {greeting}", greeting), true);
                }

                stage = "EHLO";
                var hello = await client.CommandAsync("EHLO " + options.HeloName, cancellationToken).ConfigureAwait(false);
                var keywords = hello.Texts.Skip(1).Select(t => t.Split(' ', 2)[0].ToUpperInvariant()).ToHashSet();
                if (hello.IsPermanent)
                {
                    // An RFC 821 server: EHLO is unknown to it, HELO is not.
                    stage = "HELO";
                    hello = await client.CommandAsync("HELO " + options.HeloName, cancellationToken).ConfigureAwait(false);
                    keywords.Clear();
                }

                if (!hello.IsPositive)
                {
                    await GoodbyeAsync(client, rset: false).ConfigureAwait(false);
                    return (TempFail(address, host, $"{host} refused {stage}: {hello}", hello), false);
                }

                if (needsUtf8 && !keywords.Contains("SMTPUTF8"))
                {
                    await GoodbyeAsync(client, rset: false).ConfigureAwait(false);
                    return (TempFail(address, host, $"{host} does not offer SMTPUTF8, which the address needs"), false);
                }

                stage = "MAIL FROM";
                var mailFrom = await client.CommandAsync($"MAIL FROM:<{options.ProbeSender}>{(needsUtf8 ? " SMTPUTF8" : string.Empty)}", cancellationToken)
                    .ConfigureAwait(false);
                if (!mailFrom.IsPositive)
                {
                    await GoodbyeAsync(client, rset: true).ConfigureAwait(false);
                    return (TempFail(address, host, $"{host} refused the probe's MAIL FROM: {mailFrom}", mailFrom), false);
                }

                stage = "RCPT TO";
                var rcpt = await client.CommandAsync($"RCPT TO:<{address}>", cancellationToken).ConfigureAwait(false);
                await GoodbyeAsync(client, rset: true).ConfigureAwait(false);
                return (Classify(address, host, rcpt), false);
            }
            catch (Exception ex) when (ex is TimeoutException or CalloutProtocolException or IOException or SocketException)
            {
                // Before the greeting the host was never really talked to: another MX may do better.
                return (TempFail(address, host, $"{host} at {stage}: {ex.Message}"), stage == "greeting");
            }
        }
    }

    /// <summary>
    /// Only a 5xx about the mailbox is a rejection. A 5xx with a policy or system enhanced code
    /// (5.7.1 "your IP is listed", 5.3.x, 5.5.x) refuses the prober, not the address, and reading
    /// it as "no such user" would reject legitimate mail because of our own reputation.
    /// </summary>
    private static CalloutResult Classify(string address, string host, CalloutReply rcpt)
    {
        if (rcpt.IsPositive)
        {
            return new CalloutResult(CalloutOutcome.Accepted, address, $"callout accepted by {host}: {rcpt}", host, rcpt.ToString());
        }

        if (rcpt.IsPermanent)
        {
            var status = rcpt.EnhancedStatus;
            var aboutMailbox = status is null
                ? rcpt.Code is 550 or 551 or 553
                : status.StartsWith("5.1.", StringComparison.Ordinal) || status == "5.2.1";
            if (aboutMailbox)
            {
                return new CalloutResult(CalloutOutcome.Rejected, address, $"callout rejected by {host}: {rcpt}", host, rcpt.ToString());
            }

            return TempFail(address, host, $"{host} refused the probe, not the mailbox: {rcpt}", rcpt);
        }

        return TempFail(address, host, $"{host} answered RCPT TO with {rcpt}", rcpt);
    }

    private static CalloutResult TempFail(string address, string? host, string detail, CalloutReply? reply = null) =>
        new(CalloutOutcome.TempFail, address, "callout temporary failure: " + detail, host, reply?.ToString());

    /// <summary>RSET and QUIT, best effort: the answer is already known, so nothing here may fail the probe.</summary>
    private async Task GoodbyeAsync(CalloutSmtpClient client, bool rset)
    {
        try
        {
            var limit = options.CommandTimeout < GoodbyeTimeout ? options.CommandTimeout : GoodbyeTimeout;
            if (rset)
            {
                await client.SendAsync("RSET", CancellationToken.None).ConfigureAwait(false);
                await client.ReadReplyAsync(limit, CancellationToken.None).ConfigureAwait(false);
            }

            await client.SendAsync("QUIT", CancellationToken.None).ConfigureAwait(false);
            await client.ReadReplyAsync(limit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or CalloutProtocolException or IOException or SocketException)
        {
        }
    }

    /// <summary>Splits and checks an address enough that it can go into a RCPT TO line unchanged.</summary>
    private static bool TrySplit(string sender, out string local, out string domain, out string problem)
    {
        local = domain = problem = string.Empty;
        if (sender.Length > MaxAddressLength)
        {
            problem = $"the address is longer than {MaxAddressLength} characters";
            return false;
        }

        var at = sender.LastIndexOf('@');
        if (at <= 0 || at == sender.Length - 1)
        {
            problem = "not an address with a local part and a domain";
            return false;
        }

        local = sender[..at];
        var quoted = local.Length >= 2 && local[0] == '"' && local[^1] == '"';
        foreach (var c in local)
        {
            if (char.IsControl(c) || c is '<' or '>' || (c == ' ' && !quoted) || char.IsWhiteSpace(c) && c != ' ')
            {
                problem = "the local part has characters that cannot be sent in RCPT TO";
                return false;
            }
        }

        var rawDomain = sender[(at + 1)..];
        if (rawDomain.StartsWith('['))
        {
            problem = "an address literal has no MX to ask";
            return false;
        }

        domain = DomainNames.Normalize(rawDomain);
        if (DomainNames.Classify(domain) != HeloFinding.Valid)
        {
            problem = "the domain is not a valid host name";
            return false;
        }

        return true;
    }
}
