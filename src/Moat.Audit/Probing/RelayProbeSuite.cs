using System.Net;
using System.Net.Sockets;

namespace Moat.Audit.Probing;

/// <summary>
/// The open-relay probes for one listener: the classic address tricks, each once with the plain
/// external domain and, where a server might compare domains naively, in upper case or with a
/// trailing dot. The probes stop after RCPT TO; nothing is ever sent with DATA.
/// </summary>
internal static class RelayProbeSuite
{
    /// <summary>TEST-NET-1 (RFC 5737): an address literal that is surely not the server itself.</summary>
    public const string ForeignLiteral = "[192.0.2.1]";

    /// <param name="ownDomain">The domain the server is meant to receive for (the audited domain), or null when none is known.</param>
    public static IReadOnlyList<RelayProbe> Build(string externalDomain, string? ownDomain, IPAddress listenerAddress)
    {
        var external = externalDomain.TrimEnd('.');
        var upper = external.ToUpperInvariant();
        var sender = "audit@" + external;
        var victim = "victim@" + external;
        var probes = new List<RelayProbe>
        {
            new(RelayTricks.ExternalToExternal, sender, victim),
            new(RelayTricks.ExternalToExternalUpperCase, sender, "victim@" + upper),
            new(RelayTricks.ExternalToExternalTrailingDot, sender, victim + "."),
            new(RelayTricks.NullSender, string.Empty, victim),
        };

        var own = ownDomain?.TrimEnd('.');
        if (!string.IsNullOrEmpty(own))
        {
            probes.AddRange(
            [
                new(RelayTricks.SpoofedOwnDomain, "postmaster@" + own, victim),
                new(RelayTricks.PercentHack, sender, $"victim%{external}@{own}"),
                new(RelayTricks.PercentHackUpperCase, sender, $"victim%{upper}@{own}"),
                new(RelayTricks.BangPath, sender, $"{external}!victim@{own}"),
                new(RelayTricks.BangPathUpperCase, sender, $"{upper}!victim@{own}"),
                new(RelayTricks.QuotedLocalPart, sender, $"\"{victim}\"@{own}"),
                new(RelayTricks.SourceRoute, sender, $"@{own}:{victim}"),
            ]);
        }

        probes.Add(new(RelayTricks.IpLiteral, sender, "victim@" + ForeignLiteral));
        probes.Add(new(RelayTricks.IpLiteralPercentHack, sender, $"victim%{external}@{AddressLiteral(listenerAddress)}"));
        return probes;
    }

    /// <summary>RFC 5321 §4.1.3: [192.0.2.1] or [IPv6:2001:db8::1].</summary>
    public static string AddressLiteral(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
    }
}
