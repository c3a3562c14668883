using System.Net;

namespace Moat.Trust.Authentication;

/// <summary>The values SPF macros expand to (RFC 7208 §7.2).</summary>
internal sealed record SpfMacroContext
{
    /// <summary>%{s}: the sender, local-part@domain.</summary>
    public required string Sender { get; init; }

    /// <summary>%{l}: the sender's local-part.</summary>
    public required string LocalPart { get; init; }

    /// <summary>%{o}: the sender's domain.</summary>
    public required string SenderDomain { get; init; }

    /// <summary>%{d}: the domain being checked; changes in include and redirect.</summary>
    public required string Domain { get; init; }

    /// <summary>%{i}, %{c}, %{v}: the SMTP client's address.</summary>
    public required IPAddress Client { get; init; }

    /// <summary>%{h}: the HELO/EHLO name.</summary>
    public string Helo { get; init; } = Unknown;

    /// <summary>%{p}: a validated name of the client (§5.5), looked up only when a macro needs it.</summary>
    public string ValidatedDomain { get; init; } = Unknown;

    /// <summary>%{r}: the receiving host, in explanations only.</summary>
    public string ReceivingHost { get; init; } = Unknown;

    /// <summary>%{t}: the current time, in explanations only.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>What the RFC says to use for a value we do not know.</summary>
    public const string Unknown = "unknown";
}
