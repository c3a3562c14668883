using DnsClient;

namespace Moat.Trust.Sources;

/// <summary>
/// Where a domain takes mail, as a sending MTA would find it (RFC 5321 §5.1): MX hosts by
/// preference, else the domain's own address, with RFC 7505 null MX honoured.
/// </summary>
internal sealed record MailDomain(string Domain, MailDomainStatus Status, IReadOnlyList<MailExchanger> Exchangers, bool ImplicitMx, string? Error)
{
    public static async Task<MailDomain> ResolveAsync(ILookupClient client, string domain, CancellationToken cancellationToken)
    {
        var mx = await SourceLookup.QueryAsync(client, domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        switch (mx.Status)
        {
            case SourceLookupStatus.NameDoesNotExist:
                return new MailDomain(domain, MailDomainStatus.DoesNotExist, [], false, null);
            case SourceLookupStatus.Failed:
                return new MailDomain(domain, MailDomainStatus.Failed, [], false, mx.Error);
        }

        var records = mx.Answers.MxRecords()
            .Select(r => new MailExchanger(r.Preference, r.Exchange.Value.TrimEnd('.').ToLowerInvariant()))
            .ToList();
        if (records.Count > 0)
        {
            // A null MX mixed with real ones violates RFC 7505; the real ones are what a sender
            // would use, so only an all-null set means "no mail".
            var hosts = records.Where(r => r.Host.Length > 0).OrderBy(r => r.Preference).ThenBy(r => r.Host, StringComparer.Ordinal).ToList();
            return hosts.Count == 0
                ? new MailDomain(domain, MailDomainStatus.NullMx, [], false, null)
                : new MailDomain(domain, MailDomainStatus.AcceptsMail, hosts, false, null);
        }

        var addresses = await SourceLookup.AddressesAsync(client, domain, cancellationToken).ConfigureAwait(false);
        return addresses.Status switch
        {
            SourceLookupStatus.Failed => new MailDomain(domain, MailDomainStatus.Failed, [], false, addresses.Error),
            _ when addresses.Addresses.Count > 0 => new MailDomain(domain, MailDomainStatus.AcceptsMail, [new MailExchanger(0, domain)], true, null),
            SourceLookupStatus.NameDoesNotExist => new MailDomain(domain, MailDomainStatus.DoesNotExist, [], false, null),
            _ => new MailDomain(domain, MailDomainStatus.NoMailHost, [], false, null),
        };
    }
}
