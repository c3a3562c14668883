using Moat.Pipeline;

namespace Moat.Trust.Authentication;

/// <summary>
/// Identifier alignment (RFC 7489 §3.1) of authenticated domains with the From domain. Strict:
/// the same name. Relaxed: the same organisational domain, found by tree walks that share the
/// evaluation's cached answers.
/// </summary>
internal sealed class DmarcAlignment(DmarcTreeWalk walk, string from, string organizational)
{
    /// <summary>True or false; null when a DNS failure left the question open.</summary>
    public async Task<bool?> CheckAsync(string identifier, bool strict, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(identifier, out var id))
        {
            return false;
        }

        if (id == from)
        {
            return true;
        }

        // An organisational domain is always the name itself or one of its parents, so a name
        // outside the From domain's organisational domain cannot align: no walk (and no queries
        // chosen by the sender) needed.
        if (strict || !(id == organizational || id.EndsWith("." + organizational, StringComparison.Ordinal)))
        {
            return false;
        }

        try
        {
            return await walk.OrganizationalDomainAsync(id, cancellationToken).ConfigureAwait(false) == organizational;
        }
        catch (DmarcLookupException)
        {
            return null;
        }
    }
}
