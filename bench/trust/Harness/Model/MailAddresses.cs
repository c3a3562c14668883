using System.Text.RegularExpressions;
using MimeKit;

namespace Moat.Bench.Trust.Model;

/// <summary>Address and domain helpers for building the model from headers.</summary>
internal static partial class MailAddresses
{
    /// <summary>The first mailbox of a header value, lower case; null when there is none.</summary>
    public static string? FirstMailbox(string? value) =>
        value is not null && InternetAddressList.TryParse(value, out var list)
            && list.Mailboxes.FirstOrDefault() is { } mailbox && mailbox.Address.Contains('@')
            ? mailbox.Address.ToLowerInvariant()
            : null;

    public static string Domain(string address) => address[(address.LastIndexOf('@') + 1)..].TrimEnd('.').ToLowerInvariant();

    /// <summary>
    /// The registrable ("organisational") domain, as DMARC's relaxed alignment compares them. A
    /// short list of two-label public suffixes stands in for the Public Suffix List, which is
    /// enough for the corpus's domains (co.uk, com.au, net.cn, …).
    /// </summary>
    public static string OrganisationalDomain(string domain)
    {
        var labels = domain.ToLowerInvariant().TrimEnd('.').Split('.');
        if (labels.Length <= 2)
        {
            return string.Join('.', labels);
        }

        var secondLevel = labels[^2];
        var take = labels[^1].Length == 2 && secondLevel is "co" or "com" or "net" or "org" or "ac" or "gov" or "edu" or "ne" or "or" or "go" ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    /// <summary>
    /// The address a list distributes from: List-Post's mailto, else X-BeenThere (Mailman 2),
    /// else Mailing-List's "list ADDRESS" (ezmlm, Yahoo! Groups); null for mail no list carried.
    /// </summary>
    public static string? ListAddress(HeaderList headers)
    {
        if (headers[HeaderId.ListPost] is { } post && MailtoPattern().Match(post) is { Success: true } mailto)
        {
            return Uri.UnescapeDataString(mailto.Groups[1].Value).ToLowerInvariant();
        }

        if (FirstMailbox(headers["X-BeenThere"]) is { } beenThere)
        {
            return beenThere;
        }

        return headers["Mailing-List"] is { } mailingList && MailingListPattern().Match(mailingList) is { Success: true } list
            ? list.Groups[1].Value.ToLowerInvariant()
            : null;
    }

    [GeneratedRegex(@"mailto:([^>?\s,]+@[^>?\s,]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MailtoPattern();

    [GeneratedRegex(@"list\s+([^\s;]+@[^\s;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MailingListPattern();
}
