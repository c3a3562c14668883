using System.Globalization;
using System.Text.RegularExpressions;
using Moat.Audit.Probing;

namespace Moat.Audit.Findings;

/// <summary>
/// Turns what one SMTP listener showed into findings. Evidence is the listener's own words:
/// "S:" lines are exact replies, "C:" lines what the audit sent.
/// </summary>
public static partial class ListenerFindingRules
{
    /// <summary>Certificates this close to their end are worth a warning: renewal has evidently not happened yet.</summary>
    private static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);

    /// <summary>Names that give the software away even without a version.</summary>
    private static readonly string[] ProductWords =
    [
        "Postfix", "Exim", "Sendmail", "OpenSMTPD", "Haraka", "aiosmtpd", "Python SMTP", "Microsoft", "Exchange",
        "smtp-sink", "qmail", "MDaemon", "Zimbra", "hMailServer", "Courier", "Kerio", "IceWarp", "CommuniGate",
        "Domino", "James", "Moat", "Mailcow", "Mailgun", "Sophos", "Barracuda", "IronPort", "Proofpoint",
    ];

    public static IReadOnlyList<Finding> Evaluate(ListenerObservation observation, ListenerContext context)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(context);
        if (!observation.SpeaksSmtp)
        {
            return [];
        }

        var findings = new List<Finding>();
        var target = observation.Endpoint.ToString();
        Add(findings, OpenRelay(observation, target));
        Add(findings, Leak(observation, target));
        Add(findings, UserEnumeration(observation, context, target));
        Add(findings, AuthBeforeTls(observation, target));
        Add(findings, StartTls(observation, target));
        findings.AddRange(Certificate(observation, context, target));
        Add(findings, LegacyTls(observation, target));
        Add(findings, NotInMx(observation, context, target));
        Add(findings, Identified(observation, target));
        if (observation.Error is { } error)
        {
            findings.Add(new Finding(
                Severity.Info,
                FindingIds.ProbeIncomplete,
                "Probing stopped early; later checks did not run",
                target,
                [error],
                "Run the audit again; if it repeats, the listener may be rate-limiting or dropping the audit's connections."));
        }

        return findings;
    }

    private static void Add(List<Finding> findings, Finding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }

    private static Finding? OpenRelay(ListenerObservation observation, string target)
    {
        var accepted = observation.RelayProbes.Where(p => p.Accepted).ToArray();
        if (accepted.Length == 0)
        {
            return null;
        }

        // One finding with every trick: an administrator fixes the relay once, and the list shows
        // which address forms the fix must cover.
        var evidence = new List<string>();
        foreach (var probe in accepted)
        {
            // The replies are MAIL's then RCPT's; in transcript order each follows its command.
            evidence.Add($"[{probe.Trick}]");
            evidence.Add($"C: MAIL FROM:<{probe.MailFrom}>");
            evidence.AddRange(probe.Replies.Take(Math.Max(1, probe.Replies.Count - 1)).Select(r => "S: " + r));
            evidence.Add($"C: RCPT TO:<{probe.RcptTo}>");
            evidence.AddRange(probe.Replies.Skip(Math.Max(1, probe.Replies.Count - 1)).Select(r => "S: " + r));
        }

        var tricks = string.Join(", ", accepted.Select(p => p.Trick));
        return new Finding(
            Severity.Critical,
            FindingIds.OpenRelay,
            $"Open relay: accepted recipients in other domains ({accepted.Length} of {observation.RelayProbes.Count} probes: {tricks})",
            target,
            evidence,
            FixAdvice.OpenRelay(observation.Fingerprint.Product)
                + " The probes stopped before DATA, so nothing was sent; if the audit ran from a network this server trusts, run it again from outside.");
    }

    private static Finding? Leak(ListenerObservation observation, string target)
    {
        var lines = PublicLines(observation).ToArray();
        var product = observation.Fingerprint.Product;
        var version = observation.Fingerprint.Version;
        var versionLines = lines
            .Where(l => (version is not null && ContainsToken(l.Searched, version)) || ProductAndVersion().IsMatch(l.Searched))
            .ToArray();
        if (versionLines.Length > 0)
        {
            var shown = version is not null ? $"{product} {version}" : product;
            return new Finding(
                Severity.Medium,
                FindingIds.VersionLeak,
                $"Version leak: the replies name the software and its version ({shown})",
                target,
                Evidence(versionLines),
                FixAdvice.HideVersion(product) + " A version tells an attacker which published holes to try.");
        }

        var productLines = lines.Where(l => ProductWords.Any(w => ContainsToken(l.Searched, w))).ToArray();
        if (productLines.Length > 0)
        {
            return new Finding(
                Severity.Low,
                FindingIds.ProductLeak,
                "Product leak: the replies name the software (no version)",
                target,
                Evidence(productLines),
                FixAdvice.HideVersion(product));
        }

        return null;
    }

    /// <summary>
    /// The lines a stranger sees, each with the command that drew it and the part searched for
    /// names. The host name in the greeting and EHLO is not searched: it is the operator's choice,
    /// and a host called "postfix.example.org" is not a leak.
    /// </summary>
    private static IEnumerable<(string? Command, string Text, string Searched)> PublicLines(ListenerObservation observation)
    {
        for (var i = 0; i < observation.Greeting.Count; i++)
        {
            var line = observation.Greeting[i];
            yield return (null, line, i == 0 ? WithoutHostName(line) : line);
        }

        foreach (var ehlo in new[] { observation.Ehlo, observation.EhloAfterTls })
        {
            if (ehlo.Count > 0)
            {
                yield return ("EHLO", ehlo[0], WithoutHostName(ehlo[0]));
            }
        }

        foreach (var (command, reply) in observation.Replies)
        {
            foreach (var line in reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return (command, line, line);
            }
        }
    }

    private static string WithoutHostName(string line)
    {
        // "220 host text" or "250-host text": the code and the text, without the host.
        if (line.Length < 4)
        {
            return line;
        }

        var afterCode = line[4..];
        var space = afterCode.IndexOf(' ');
        return space < 0 ? line[..4] : line[..4] + afterCode[space..];
    }

    private static IReadOnlyList<string> Evidence(IEnumerable<(string? Command, string Text, string Searched)> lines)
    {
        var evidence = new List<string>();
        foreach (var (command, text, _) in lines)
        {
            if (command is not null)
            {
                evidence.Add("C: " + command);
            }

            evidence.Add("S: " + text);
        }

        return evidence;
    }

    private static bool ContainsToken(string text, string token)
    {
        var at = 0;
        while ((at = text.IndexOf(token, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + token.Length;
            var after = end >= text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }

            at = end;
        }

        return false;
    }

    private static Finding? UserEnumeration(ListenerObservation observation, ListenerContext context, string target)
    {
        var answers = observation.UserEnumeration.ToArray();
        var telling = new List<string>();
        var anything = new List<string>();
        foreach (var group in answers.GroupBy(a => Verb(a.Key)))
        {
            var madeUp = group.Where(a => UserProbes.IsMadeUp(a.Key, context.ProbeUsers)).ToArray();
            var real = group.Except(madeUp).ToArray();

            // 252 alone says nothing ("cannot verify"), but a 252 for root beside a 550 for a
            // made-up name tells the two apart just as well as a 250 would: Postfix does exactly that.
            var realPositive = real.Any(a => Code(a.Value) is 250 or 251 or 252);
            var unknownRefused = group.Any(a => Code(a.Value) is 550 or 551 or 553);
            var explicitYes = real.Any(a => Code(a.Value) is 250 or 251);
            if ((realPositive && unknownRefused) || (explicitYes && madeUp.Length == 0))
            {
                telling.Add(group.Key);
            }
            else if (madeUp.Any(a => Code(a.Value) is 250 or 251))
            {
                anything.Add(group.Key);
            }
        }

        if (telling.Count == 0 && anything.Count == 0)
        {
            return null;
        }

        var evidence = answers.SelectMany(a => new[] { "C: " + a.Key }.Concat(ReplyLines(a.Value))).ToArray();
        if (telling.Count > 0)
        {
            return new Finding(
                Severity.Medium,
                FindingIds.UserEnumeration,
                $"{string.Join("/", telling)} confirms which users exist (user enumeration)",
                target,
                evidence,
                FixAdvice.UserEnumeration(observation.Fingerprint.Product) + " Confirmed names feed password guessing and phishing.");
        }

        // A server that says yes to a made-up name tells nothing about real users, but an
        // attacker cannot know that without trying, and the open command invites the attempt.
        return new Finding(
            Severity.Medium,
            FindingIds.UserEnumeration,
            $"{string.Join("/", anything)} confirms any name, even a made-up one (no real user list leaks, but the command is open)",
            target,
            evidence,
            FixAdvice.UserEnumeration(observation.Fingerprint.Product));
    }

    private static int Code(string reply) =>
        reply.Length >= 3 && int.TryParse(reply.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;

    private static string Verb(string command)
    {
        var space = command.IndexOf(' ');
        return (space < 0 ? command : command[..space]).ToUpperInvariant();
    }

    private static IEnumerable<string> ReplyLines(string reply) =>
        reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => "S: " + l);

    private static Finding? AuthBeforeTls(ListenerObservation observation, string target)
    {
        if (observation.AuthBeforeTls.Count == 0 || observation.ImplicitTls)
        {
            return null;
        }

        var lines = observation.Ehlo.Where(IsAuthLine).Select(l => "S: " + l).ToArray();
        IReadOnlyList<string> evidence = lines.Length > 0 ? ["C: EHLO", .. lines] : ["AUTH " + string.Join(" ", observation.AuthBeforeTls)];
        return new Finding(
            Severity.High,
            FindingIds.AuthBeforeTls,
            $"AUTH offered before TLS ({string.Join(", ", observation.AuthBeforeTls)}): passwords can cross the network in clear",
            target,
            evidence,
            FixAdvice.AuthOnlyUnderTls(observation.Fingerprint.Product));
    }

    private static bool IsAuthLine(string line) =>
        line.Length > 4 && (line.AsSpan(4).StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) || line.AsSpan(4).StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase));

    private static Finding? StartTls(ListenerObservation observation, string target)
    {
        if (observation.ImplicitTls)
        {
            return null;
        }

        var port = observation.Endpoint.Port;
        if (!observation.StartTlsOffered)
        {
            if (observation.Ehlo.Count == 0)
            {
                return null;
            }

            // On submission mail and passwords of the organisation's own users cross in clear; on
            // port 25 (and other MTA ports) it is the mail of everyone writing to the domain.
            var submission = port == 587;
            return new Finding(
                submission ? Severity.High : Severity.Medium,
                FindingIds.StartTlsMissing,
                submission ? "STARTTLS missing on submission: mail and passwords cross in clear" : "STARTTLS missing: mail to this server crosses the network in clear",
                target,
                ["C: EHLO", .. observation.Ehlo.Select(l => "S: " + l)],
                FixAdvice.EnableStartTls(observation.Fingerprint.Product));
        }

        if (observation.Tls is { Succeeded: false } tls)
        {
            return new Finding(
                Severity.Medium,
                FindingIds.StartTlsBroken,
                "STARTTLS offered but the TLS handshake fails: senders fall back to clear text or give up",
                target,
                ["C: STARTTLS", tls.Error ?? "the handshake failed"],
                "Check the certificate and key the server is configured with, and its TLS library's log.");
        }

        return null;
    }

    private static IEnumerable<Finding> Certificate(ListenerObservation observation, ListenerContext context, string target)
    {
        if (observation.Tls is not { Succeeded: true } tls)
        {
            yield break;
        }

        var evidence = CertificateEvidence(tls);
        if (tls.NotAfter is { } notAfter && notAfter < context.Now)
        {
            yield return new Finding(
                Severity.High,
                FindingIds.CertificateExpired,
                $"TLS certificate expired on {Day(notAfter)}",
                target,
                evidence,
                "Renew the certificate (and automate renewal, e.g. with ACME); senders that verify refuse it, MTA-STS senders stop delivering.");
        }
        else if (tls.NotBefore is { } notBefore && notBefore > context.Now)
        {
            yield return new Finding(
                Severity.High,
                FindingIds.CertificateExpired,
                $"TLS certificate not valid before {Day(notBefore)}",
                target,
                evidence,
                "Check the server's clock and the certificate's dates; install a certificate that is valid now.");
        }
        else if (tls.NotAfter is { } ending && ending - context.Now < ExpiryWarning)
        {
            yield return new Finding(
                Severity.Low,
                FindingIds.CertificateExpiring,
                $"TLS certificate expires on {Day(ending)}",
                target,
                evidence,
                "Renew the certificate now and check that renewal is automated.");
        }

        var audience = CertificateAudience(observation, context);
        if (tls.SelfSigned || !tls.ChainTrusted)
        {
            var what = tls.SelfSigned ? "self-signed" : "not trusted (unknown issuer or incomplete chain)";
            yield return new Finding(
                audience.Severity,
                FindingIds.CertificateUntrusted,
                $"TLS certificate is {what}{audience.Why}",
                target,
                evidence,
                "Install a certificate from a public CA (e.g. Let's Encrypt) for the host's name, with its intermediate certificates.");
        }

        var hostName = observation.Endpoint.HostName;
        if (!tls.NameMatches && hostName is not null && !System.Net.IPAddress.TryParse(hostName, out _))
        {
            yield return new Finding(
                audience.Severity,
                FindingIds.CertificateWrongName,
                $"TLS certificate does not name {hostName}{audience.Why}",
                target,
                [.. evidence, $"expected: {hostName}"],
                $"Install a certificate whose subject alternative names include {hostName}.");
        }
    }

    /// <summary>
    /// How much a certificate senders cannot verify matters depends on who connects. Between MTAs
    /// TLS is opportunistic: without MTA-STS (RFC 8461) or DANE (RFC 7672) a sending MTA does not
    /// verify the certificate at all, so a self-signed one protects as well as any against passive
    /// eavesdropping. Mail clients on submission ports, and MTA-STS senders, do verify and fail.
    /// </summary>
    private static (Severity Severity, string Why) CertificateAudience(ListenerObservation observation, ListenerContext context)
    {
        var port = observation.Endpoint.Port;
        if (port is 465 or 587 || observation.ImplicitTls)
        {
            return (Severity.Medium, " on a submission port, where mail clients verify it");
        }

        var mtaPort = port == 25 || context.InMx == true;
        if (!mtaPort)
        {
            return (Severity.Medium, " on a port that is not an MX, where clients may verify it");
        }

        return context.MtaStsMode switch
        {
            "enforce" => (Severity.High, ": the domain's MTA-STS policy is enforce, so MTA-STS senders refuse to deliver"),
            "testing" => (Severity.Low, ": the domain's MTA-STS policy is testing, so senders report failures (enforce would stop delivery)"),
            "published" => (Severity.Medium, ": the domain publishes MTA-STS, so senders that honour it verify the certificate (and refuse it in enforce mode)"),
            _ => (Severity.Info, " on an MX: sending MTAs do not verify certificates without MTA-STS or DANE, so TLS still works; needed before publishing MTA-STS"),
        };
    }

    private static IReadOnlyList<string> CertificateEvidence(TlsObservation tls)
    {
        var evidence = new List<string>();
        if (tls.Protocol is not null)
        {
            evidence.Add("protocol: " + tls.Protocol);
        }

        if (tls.CertificateSubject is not null)
        {
            evidence.Add("subject: " + tls.CertificateSubject);
        }

        if (tls.CertificateNames.Count > 0)
        {
            evidence.Add("names: " + string.Join(", ", tls.CertificateNames));
        }

        if (tls.NotBefore is { } from && tls.NotAfter is { } to)
        {
            evidence.Add($"valid: {Day(from)} to {Day(to)}");
        }

        evidence.Add($"self-signed: {(tls.SelfSigned ? "yes" : "no")}, chain trusted: {(tls.ChainTrusted ? "yes" : "no")}, name matches: {(tls.NameMatches ? "yes" : "no")}");
        return evidence;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Finding? LegacyTls(ListenerObservation observation, string target)
    {
        if (observation.Tls is not { } tls || tls.LegacyProtocolsAccepted.Count == 0)
        {
            return null;
        }

        return new Finding(
            Severity.Medium,
            FindingIds.LegacyTls,
            $"Old TLS versions accepted: {string.Join(", ", tls.LegacyProtocolsAccepted)}",
            target,
            tls.LegacyProtocolsAccepted.Select(p => $"handshake with only {p} offered: accepted").ToArray(),
            FixAdvice.ModernTlsOnly(observation.Fingerprint.Product) + " TLS 1.0 and 1.1 are deprecated (RFC 8996).");
    }

    private static Finding? NotInMx(ListenerObservation observation, ListenerContext context, string target)
    {
        if (context.InMx != false)
        {
            return null;
        }

        IReadOnlyList<string> evidence =
        [
            .. observation.Greeting.Select(l => "S: " + l),
            .. context.MxRecords.Count > 0 ? context.MxRecords.Select(r => "MX: " + r) : ["MX: (none)"],
        ];
        return new Finding(
            Severity.Medium,
            FindingIds.NotInMx,
            "Reachable mail server not in MX: protect it like the MX hosts",
            target,
            evidence,
            "Attackers find mail servers by scanning, not by reading MX records. Firewall it if it should not be reachable, or give it the same hardening, patches and monitoring as the MX hosts.");
    }

    private static Finding? Identified(ListenerObservation observation, string target)
    {
        var fingerprint = observation.Fingerprint;
        if (fingerprint.Product == Fingerprints.Fingerprint.Unknown.Product)
        {
            return null;
        }

        var name = fingerprint.Version is null ? fingerprint.Product : $"{fingerprint.Product} {fingerprint.Version}";
        var confidence = fingerprint.Confidence.ToString("0%", CultureInfo.InvariantCulture);
        return new Finding(
            Severity.Info,
            FindingIds.ProductIdentified,
            $"Identified as {name} (confidence {confidence})",
            target,
            fingerprint.Evidence,
            "Nothing to fix; an attacker can make the same guess, so keep this software patched.");
    }

    [GeneratedRegex(@"\b(Postfix|Exim|Sendmail|OpenSMTPD|Haraka|aiosmtpd|Python SMTP|Exchange|qmail|MDaemon|Zimbra|hMailServer|Courier|Kerio|IceWarp|CommuniGate)\b[^0-9\n]{0,24}\d+\.\d+", RegexOptions.IgnoreCase)]
    private static partial Regex ProductAndVersion();
}
