using System.Net;
using MimeKit;
using Moat.Pipeline;

namespace Moat.Trust.Authentication;

/// <summary>
/// Runs SPF, DKIM and DMARC on a received message. SPF checks the MAIL FROM domain, or for the
/// null sender the HELO name (RFC 7208 §2.4); it runs while the message is parsed and its DKIM
/// signatures are verified. DMARC needs exactly one RFC 5322.From address: with none or several
/// (RFC 7489 §6.6.1) there is no From domain and DMARC is permerror.
/// </summary>
public sealed class SenderAuthenticator
{
    private readonly SpfEvaluator spf;
    private readonly DkimChecker dkim;
    private readonly DmarcEvaluator dmarc;

    public SenderAuthenticator(SpfEvaluator spf, DkimChecker dkim, DmarcEvaluator dmarc)
    {
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(dkim);
        ArgumentNullException.ThrowIfNull(dmarc);
        this.spf = spf;
        this.dkim = dkim;
        this.dmarc = dmarc;
    }

    /// <param name="mailFrom">The MAIL FROM address without angle brackets; empty for the null sender.</param>
    /// <param name="openMessage">Opens the whole message (seekable); the stream is disposed here.</param>
    public async Task<SenderAuthentication> AuthenticateAsync(
        IPAddress client,
        string? heloName,
        string mailFrom,
        Func<CancellationToken, ValueTask<Stream>> openMessage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mailFrom);
        ArgumentNullException.ThrowIfNull(openMessage);

        var sender = mailFrom.Trim().TrimStart('<').TrimEnd('>');
        var identity = sender.Length == 0 ? SpfIdentity.Helo : SpfIdentity.MailFrom;
        var spfTask = CheckSpfAsync(client, heloName, sender, cancellationToken);
        var messageTask = ReadMessageAsync(openMessage, cancellationToken);
        await Task.WhenAll(spfTask, messageTask).ConfigureAwait(false);

        var spfOutcome = await spfTask.ConfigureAwait(false);
        var (dkimOutcomes, fromAddress, fromDomain) = await messageTask.ConfigureAwait(false);
        var dmarcOutcome = fromDomain is null
            ? new DmarcOutcome(DmarcResult.PermError, string.Empty, null, DmarcPolicy.None, false, false)
            : await dmarc.EvaluateAsync(fromDomain, spfOutcome, dkimOutcomes, cancellationToken).ConfigureAwait(false);
        return new SenderAuthentication(spfOutcome, dkimOutcomes, dmarcOutcome, fromAddress, fromDomain) { SpfIdentity = identity };
    }

    private async Task<SpfOutcome> CheckSpfAsync(IPAddress client, string? heloName, string sender, CancellationToken cancellationToken)
    {
        if (sender.Length == 0)
        {
            // RFC 7208 §2.4: for the null sender, check_host() runs on the HELO name as postmaster@helo.
            if (!DomainName.TryNormalize(heloName, out var helo) || !DomainName.IsFullyQualified(helo))
            {
                return new SpfOutcome(SpfResult.None, heloName ?? string.Empty, null);
            }

            return await spf.CheckHostAsync(client, helo, "postmaster@" + helo, heloName, cancellationToken).ConfigureAwait(false);
        }

        var at = sender.LastIndexOf('@');
        if (at < 0 || !DomainName.TryNormalize(sender[(at + 1)..], out var domain))
        {
            return new SpfOutcome(SpfResult.None, at < 0 ? string.Empty : sender[(at + 1)..], null);
        }

        return await spf.CheckHostAsync(client, domain, sender[..at] + "@" + domain, heloName, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(IReadOnlyList<DkimOutcome> Dkim, string? FromAddress, string? FromDomain)> ReadMessageAsync(
        Func<CancellationToken, ValueTask<Stream>> openMessage,
        CancellationToken cancellationToken)
    {
        var stream = await openMessage(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var message = await DkimChecker.ParseAsync(stream, cancellationToken).ConfigureAwait(false);
            if (message is null)
            {
                return ([], null, null);
            }

            var outcomes = await dkim.VerifyAsync(message, cancellationToken).ConfigureAwait(false);
            var (address, domain) = SingleFrom(message.Headers);
            return (outcomes, address, domain);
        }
    }

    /// <summary>The one From address and its canonical domain; nulls for no From field, several, or several addresses.</summary>
    internal static (string? Address, string? Domain) SingleFrom(HeaderList headers)
    {
        var fields = headers.Where(h => h.Id == HeaderId.From).ToList();
        if (fields.Count != 1)
        {
            return (null, null);
        }

        var raw = fields[0].RawValue;
        if (!InternetAddressList.TryParse(ParserOptions.Default, raw, 0, raw.Length, out var addresses))
        {
            return (null, null);
        }

        var mailboxes = addresses.Mailboxes.ToList();
        if (mailboxes.Count != 1 || !DomainName.TryNormalize(mailboxes[0].Domain, out var domain))
        {
            return (null, null);
        }

        return (mailboxes[0].Address, domain);
    }
}
