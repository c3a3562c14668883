using System.Net;

namespace Moat.Trust.Sources;

/// <summary>
/// What <see cref="SenderSystemCheck"/> found about one connection and envelope sender.
/// <see cref="Evidence"/> holds one human-readable line per finding, in check order, for the log
/// and <c>moat pipeline explain</c>.
/// </summary>
/// <param name="ClientAddress">The client address as checked (IPv4-mapped IPv6 as IPv4).</param>
/// <param name="ReverseDns">Forward-confirmed reverse DNS.</param>
/// <param name="PtrNames">The PTR names looked at (at most <see cref="SenderSystemOptions.MaxPtrNames"/>).</param>
/// <param name="ConfirmedName">The PTR name that resolved back to the client, when <see cref="ReverseDns"/> passed.</param>
/// <param name="Helo">Pass when <see cref="HeloFinding"/> is sane.</param>
/// <param name="HeloResolvesToClient">Whether the HELO name has the client's address; null when not looked up or DNS failed.</param>
/// <param name="EnvelopeDomain">The MAIL FROM domain; null for the null sender.</param>
/// <param name="EnvelopeDomainAcceptsMail">None for the null sender.</param>
/// <param name="MailExchangers">The domain's MX hosts by preference, or the domain itself under the implicit MX rule.</param>
public sealed record SenderSystemReport(
    IPAddress ClientAddress,
    SenderCheckResult ReverseDns,
    IReadOnlyList<string> PtrNames,
    string? ConfirmedName,
    string? HeloName,
    SenderCheckResult Helo,
    HeloFinding HeloFinding,
    bool? HeloResolvesToClient,
    string? EnvelopeDomain,
    SenderCheckResult EnvelopeDomainAcceptsMail,
    IReadOnlyList<string> MailExchangers,
    IReadOnlyList<string> Evidence)
{
    /// <summary>
    /// Forward-confirmed reverse DNS passed AND the HELO is sane. Both are things every properly
    /// run MTA has (large receivers refuse mail without FCrDNS) and that bots on dynamic or
    /// hijacked addresses rarely have, and both are about the host, not the message. The envelope
    /// domain is left out because it describes the claimed sender, which any host can claim, and
    /// HELO-resolves-to-client is left out because pools and NAT legitimately break it.
    /// False also when a DNS lookup failed: check <see cref="HasTemporaryError"/> before treating
    /// false as evidence against the sender.
    /// </summary>
    public bool LooksLikeMailServer => ReverseDns == SenderCheckResult.Pass && Helo == SenderCheckResult.Pass;

    /// <summary>A DNS lookup failed somewhere: a later check may come out differently.</summary>
    public bool HasTemporaryError =>
        ReverseDns == SenderCheckResult.TempError || EnvelopeDomainAcceptsMail == SenderCheckResult.TempError;
}
