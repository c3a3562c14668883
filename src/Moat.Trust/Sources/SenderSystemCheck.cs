using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace Moat.Trust.Sources;

/// <summary>
/// Does the sending host look like a mail server, and does the envelope domain accept mail?
/// Three independent tests, run concurrently: forward-confirmed reverse DNS of the client address,
/// the sanity of its HELO name, and whether the MAIL FROM domain could receive a bounce.
/// Any DNS failure is reported as <see cref="SenderCheckResult.TempError"/>, never as a failure.
/// </summary>
public sealed class SenderSystemCheck
{
    private readonly ILookupClient dns;
    private readonly SenderSystemOptions options;

    public SenderSystemCheck(ILookupClient dns, SenderSystemOptions options)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPtrNames, 1);
        this.dns = dns;
        this.options = options;
    }

    /// <param name="client">The connecting address.</param>
    /// <param name="helo">The HELO/EHLO argument; null when the client sent none.</param>
    /// <param name="mailFrom">The reverse-path without angle brackets; null or empty for the null sender.</param>
    public async Task<SenderSystemReport> CheckAsync(IPAddress client, string? helo, string? mailFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var address = HeloSanity.Canonical(client);
        var reverseTask = CheckReverseDnsAsync(address, cancellationToken);
        var heloTask = CheckHeloAsync(address, helo, cancellationToken);
        var envelopeTask = CheckEnvelopeDomainAsync(mailFrom, cancellationToken);
        var reverse = await reverseTask.ConfigureAwait(false);
        var heloOutcome = await heloTask.ConfigureAwait(false);
        var envelope = await envelopeTask.ConfigureAwait(false);

        return new SenderSystemReport(
            address,
            reverse.Result,
            reverse.PtrNames,
            reverse.ConfirmedName,
            helo,
            heloOutcome.Result,
            heloOutcome.Finding,
            heloOutcome.ResolvesToClient,
            envelope.Domain,
            envelope.Result,
            envelope.MailExchangers,
            [.. reverse.Evidence, .. heloOutcome.Evidence, .. envelope.Evidence]);
    }

    internal async Task<ReverseDnsOutcome> CheckReverseDnsAsync(IPAddress client, CancellationToken cancellationToken)
    {
        var ptr = await SourceLookup.QueryAsync(dns, client.GetArpaName(), QueryType.PTR, cancellationToken).ConfigureAwait(false);
        if (ptr.Status == SourceLookupStatus.Failed)
        {
            return new ReverseDnsOutcome(SenderCheckResult.TempError, [], null, [$"reverse DNS temporary error: {ptr.Error}"]);
        }

        var allNames = ptr.Answers.PtrRecords()
            .Select(r => DomainNames.Normalize(r.PtrDomainName.Value))
            .Where(n => n.Length > 0 && n != ".")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (allNames.Count == 0)
        {
            return new ReverseDnsOutcome(SenderCheckResult.Fail, [], null, [$"reverse DNS fail: {client} has no PTR record"]);
        }

        var evidence = new List<string>();
        var names = allNames.Take(options.MaxPtrNames).ToList();
        if (allNames.Count > names.Count)
        {
            evidence.Add($"reverse DNS: {client} has {allNames.Count} PTR names; only the first {names.Count} are checked");
        }

        var type = client.AddressFamily == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
        var lookups = await Task.WhenAll(names.Select(name => ForwardAsync(name, type, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < names.Count; i++)
        {
            if (lookups[i].Status == SourceLookupStatus.Answered && AddressesOf(lookups[i]).Contains(client))
            {
                evidence.Add($"reverse DNS pass: {client} → {names[i]} → {client}");
                return new ReverseDnsOutcome(SenderCheckResult.Pass, names, names[i], evidence);
            }
        }

        var failed = lookups.FirstOrDefault(l => l.Status == SourceLookupStatus.Failed);
        if (failed is not null)
        {
            evidence.Add($"reverse DNS temporary error: {client} has PTR {string.Join(", ", names)}, and {failed.Error}");
            return new ReverseDnsOutcome(SenderCheckResult.TempError, names, null, evidence);
        }

        evidence.Add($"reverse DNS fail: {client} has PTR {string.Join(", ", names)}, none of which resolves back to it");
        return new ReverseDnsOutcome(SenderCheckResult.Fail, names, null, evidence);
    }

    internal async Task<HeloOutcome> CheckHeloAsync(IPAddress client, string? helo, CancellationToken cancellationToken)
    {
        var finding = HeloSanity.Evaluate(helo, client, options);
        var sane = finding is HeloFinding.Valid or HeloFinding.AddressLiteral;
        var result = sane ? SenderCheckResult.Pass : SenderCheckResult.Fail;
        var evidence = new List<string> { $"HELO {(sane ? "pass" : "fail")}: {Describe(helo, finding, client)}" };
        if (finding != HeloFinding.Valid || !options.ResolveHeloName)
        {
            return new HeloOutcome(result, finding, null, evidence);
        }

        var name = DomainNames.Normalize(helo!);
        var lookup = await SourceLookup.AddressesAsync(dns, name, cancellationToken).ConfigureAwait(false);
        bool? resolves = lookup.Status == SourceLookupStatus.Failed
            ? null
            : lookup.Addresses.Select(HeloSanity.Canonical).Contains(client);
        evidence.Add(resolves switch
        {
            true => $"HELO name {name} resolves to the client {client}",
            false => $"HELO name {name} does not resolve to the client {client}",
            null => $"HELO name not resolved: {lookup.Error}",
        });
        return new HeloOutcome(result, finding, resolves, evidence);
    }

    internal async Task<EnvelopeDomainOutcome> CheckEnvelopeDomainAsync(string? mailFrom, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(mailFrom))
        {
            return new EnvelopeDomainOutcome(SenderCheckResult.None, null, [], ["envelope domain not checked: null sender"]);
        }

        var at = mailFrom.LastIndexOf('@');
        if (at < 0 || at == mailFrom.Length - 1)
        {
            return new EnvelopeDomainOutcome(SenderCheckResult.Fail, null, [], [$"envelope domain fail: <{EvidenceText.Printable(mailFrom)}> has no domain"]);
        }

        var raw = mailFrom[(at + 1)..];
        if (raw.StartsWith('['))
        {
            return new EnvelopeDomainOutcome(SenderCheckResult.None, raw, [], [$"envelope domain not checked: {EvidenceText.Printable(raw)} is an address literal"]);
        }

        var domain = DomainNames.Normalize(raw);
        if (DomainNames.Classify(domain) != HeloFinding.Valid)
        {
            return new EnvelopeDomainOutcome(SenderCheckResult.Fail, domain, [], [$"envelope domain fail: '{EvidenceText.Printable(raw)}' is not a valid domain name"]);
        }

        var mail = await MailDomain.ResolveAsync(dns, domain, cancellationToken).ConfigureAwait(false);
        var hosts = mail.Exchangers.Select(e => e.Host).ToList();
        return mail.Status switch
        {
            MailDomainStatus.AcceptsMail when mail.ImplicitMx => new EnvelopeDomainOutcome(
                SenderCheckResult.Pass, domain, hosts, [$"envelope domain pass: {domain} has no MX but an address (implicit MX)"]),
            MailDomainStatus.AcceptsMail => new EnvelopeDomainOutcome(
                SenderCheckResult.Pass, domain, hosts, [$"envelope domain pass: {domain} has MX {string.Join(", ", mail.Exchangers.Select(e => $"{e.Host} ({e.Preference})"))}"]),
            MailDomainStatus.NullMx => new EnvelopeDomainOutcome(
                SenderCheckResult.Fail, domain, [], [$"envelope domain fail: {domain} publishes a null MX (RFC 7505) and accepts no mail"]),
            MailDomainStatus.NoMailHost => new EnvelopeDomainOutcome(
                SenderCheckResult.Fail, domain, [], [$"envelope domain fail: {domain} has neither MX nor address records"]),
            MailDomainStatus.DoesNotExist => new EnvelopeDomainOutcome(
                SenderCheckResult.Fail, domain, [], [$"envelope domain fail: {domain} does not exist (NXDOMAIN)"]),
            _ => new EnvelopeDomainOutcome(
                SenderCheckResult.TempError, domain, [], [$"envelope domain temporary error: {mail.Error}"]),
        };
    }

    private Task<SourceLookup> ForwardAsync(string name, QueryType type, CancellationToken cancellationToken) =>
        DomainNames.Classify(name) == HeloFinding.InvalidSyntax
            ? Task.FromResult(new SourceLookup(SourceLookupStatus.NameDoesNotExist, [], null))
            : SourceLookup.QueryAsync(dns, name, type, cancellationToken);

    private static IEnumerable<IPAddress> AddressesOf(SourceLookup lookup) =>
        lookup.Answers.ARecords().Select(a => a.Address)
            .Concat(lookup.Answers.AaaaRecords().Select(a => a.Address))
            .Select(HeloSanity.Canonical);

    private static string Describe(string? raw, HeloFinding finding, IPAddress client)
    {
        var helo = EvidenceText.Printable(raw);
        return finding switch
        {
            HeloFinding.Valid => $"{helo} is a fully-qualified host name",
            HeloFinding.AddressLiteral => $"{helo} is the client's address literal",
            HeloFinding.Missing => "no HELO/EHLO name given",
            HeloFinding.NotFullyQualified => $"{helo} is not fully qualified",
            HeloFinding.InvalidSyntax => $"'{helo}' is not a valid host name",
            HeloFinding.Localhost => $"{helo} claims to be localhost",
            HeloFinding.BareAddress => $"{helo} is an IP address without brackets",
            HeloFinding.LiteralMismatch => $"{helo} is not the client's address {client}",
            HeloFinding.ClaimsToBeUs => $"{helo} claims to be one of our own names",
            _ => finding.ToString(),
        };
    }
}
