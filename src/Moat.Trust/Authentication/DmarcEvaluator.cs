using DnsClient;
using Moat.Pipeline;

namespace Moat.Trust.Authentication;

/// <summary>
/// DMARC (RFC 7489) for one From domain, given the SPF and DKIM results. Policy discovery and
/// organisational domains use the DMARCbis DNS tree walk (<see cref="DmarcTreeWalk"/>) because no
/// public suffix list is available: the applied record is the From domain's own, else its
/// organisational domain's, else that of a public suffix domain (psd=y) above it.
/// <para>
/// pct: RFC 7489 §6.6.4 asks receivers to apply the policy to a random pct% sample and the next
/// milder policy to the rest. We do not sample: with pct below 100 (or DMARCbis t=y, which
/// replaced pct) the milder policy (reject → quarantine → none) applies to every failing message,
/// so results are repeatable and a domain still rolling out its policy is never rejected outright.
/// </para>
/// <para>
/// A record whose p= is missing or invalid, or whose sp= is invalid, counts as p=none when it has
/// a valid rua= URI and is otherwise not applied (§6.6.3). np= (DMARCbis) is not used.
/// DNS failures give temperror.
/// </para>
/// </summary>
public sealed class DmarcEvaluator
{
    /// <summary>Distinct DKIM domains checked for alignment (each may cost a tree walk).</summary>
    public const int MaxDkimDomains = 10;

    private readonly ILookupClient dns;

    public DmarcEvaluator(ILookupClient dns)
    {
        ArgumentNullException.ThrowIfNull(dns);
        this.dns = dns;
    }

    /// <summary>Time for the whole evaluation (up to 8 queries per tree walk); past it the result is temperror.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    public async Task<DmarcOutcome> EvaluateAsync(string fromDomain, SpfOutcome spf, IReadOnlyList<DkimOutcome> dkim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fromDomain);
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(dkim);
        if (!DomainName.TryNormalize(fromDomain, out var from))
        {
            return new DmarcOutcome(DmarcResult.PermError, fromDomain, null, DmarcPolicy.None, false, false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await EvaluateCanonicalAsync(from, spf, dkim, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DmarcOutcome(DmarcResult.TempError, from, null, DmarcPolicy.None, false, false);
        }
    }

    private async Task<DmarcOutcome> EvaluateCanonicalAsync(string from, SpfOutcome spf, IReadOnlyList<DkimOutcome> dkim, CancellationToken cancellationToken)
    {
        var walk = new DmarcTreeWalk(new DnsLookup(dns));
        IReadOnlyList<(string Domain, DmarcRecord Record)> found;
        try
        {
            found = await walk.WalkAsync(from, cancellationToken).ConfigureAwait(false);
        }
        catch (DmarcLookupException)
        {
            return new DmarcOutcome(DmarcResult.TempError, from, null, DmarcPolicy.None, false, false);
        }

        var organizational = DmarcTreeWalk.OrganizationalDomain(from, found);
        var applied = AppliedRecord(found, from, organizational);
        var policy = applied is { } a ? PolicyFor(from, a.Domain, a.Record) : null;
        var record = policy is null ? null : applied?.Record;

        var alignment = new DmarcAlignment(walk, from, organizational);
        var spfAligned = spf.Result == SpfResult.Pass
            ? await alignment.CheckAsync(spf.Domain, record?.StrictSpf ?? false, cancellationToken).ConfigureAwait(false)
            : false;
        var dkimAligned = await DkimAlignedAsync(alignment, dkim, record?.StrictDkim ?? false, cancellationToken).ConfigureAwait(false);

        if (policy is null || applied is null)
        {
            // No DMARC record applies: no result, but alignment (relaxed) is still reported.
            return new DmarcOutcome(DmarcResult.None, from, null, DmarcPolicy.None, spfAligned == true, dkimAligned == true);
        }

        var result = spfAligned == true || dkimAligned == true ? DmarcResult.Pass
            : spfAligned is null || dkimAligned is null ? DmarcResult.TempError
            : DmarcResult.Fail;
        return new DmarcOutcome(result, from, applied.Value.Domain, policy.Value, spfAligned == true, dkimAligned == true);
    }

    /// <summary>True when a passing signature's domain aligns; null when only DNS failures kept one from it.</summary>
    private static async Task<bool?> DkimAlignedAsync(DmarcAlignment alignment, IReadOnlyList<DkimOutcome> dkim, bool strict, CancellationToken cancellationToken)
    {
        bool? aligned = false;
        var domains = dkim
            .Where(d => d.Result == DkimResult.Pass && d.Domain is not null)
            .Select(d => d.Domain!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxDkimDomains);
        foreach (var domain in domains)
        {
            switch (await alignment.CheckAsync(domain, strict, cancellationToken).ConfigureAwait(false))
            {
                case true:
                    return true;
                case null:
                    aligned = null;
                    break;
            }
        }

        return aligned;
    }

    /// <summary>The From domain's own record, else its organisational domain's, else a public suffix domain's (§4.10.1).</summary>
    private static (string Domain, DmarcRecord Record)? AppliedRecord(IReadOnlyList<(string Domain, DmarcRecord Record)> found, string from, string organizational)
    {
        foreach (var candidate in new[] { from, organizational })
        {
            foreach (var entry in found)
            {
                if (entry.Domain == candidate)
                {
                    return entry;
                }
            }
        }

        foreach (var entry in found)
        {
            if (entry.Record.Psd == 'y')
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>
    /// p= for the From domain's own record, sp= (else p=) for a record above it; null when the
    /// record is not to be applied at all (§6.6.3).
    /// </summary>
    private static DmarcPolicy? PolicyFor(string from, string policyDomain, DmarcRecord record)
    {
        DmarcPolicy policy;
        if (record.Policy is null || record.SubdomainPolicyInvalid)
        {
            if (!record.HasValidRua)
            {
                return null;
            }

            policy = DmarcPolicy.None;
        }
        else
        {
            policy = policyDomain == from ? record.Policy.Value : record.SubdomainPolicy ?? record.Policy.Value;
        }

        var milder = record.Percent < 100 || record.Testing;
        return milder && policy > DmarcPolicy.None ? policy - 1 : policy;
    }
}
