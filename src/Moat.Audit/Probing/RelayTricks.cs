namespace Moat.Audit.Probing;

/// <summary>The names of the open-relay probes, as <see cref="RelayProbeResult.Trick"/> carries them.</summary>
public static class RelayTricks
{
    /// <summary>A stranger's sender to a stranger's recipient: the plain open relay.</summary>
    public const string ExternalToExternal = "external-to-external";

    public const string ExternalToExternalUpperCase = "external-to-external-uppercase";

    /// <summary>The recipient domain with a trailing dot, which naive domain comparisons miss.</summary>
    public const string ExternalToExternalTrailingDot = "external-to-external-trailing-dot";

    /// <summary>The null sender (bounces), which some relay rules wave through.</summary>
    public const string NullSender = "null-sender";

    /// <summary>Our own domain as the sender: rules that trust "mail from us" relay for anyone who claims it.</summary>
    public const string SpoofedOwnDomain = "spoofed-own-domain";

    /// <summary>victim%external@ours: the server accepts it for itself, then rewrites and forwards it.</summary>
    public const string PercentHack = "percent-hack";

    public const string PercentHackUpperCase = "percent-hack-uppercase";

    /// <summary>external!victim@ours: UUCP routing.</summary>
    public const string BangPath = "bang-path";

    public const string BangPathUpperCase = "bang-path-uppercase";

    /// <summary>"victim@external"@ours: the quotes hide the real domain from a naive parser.</summary>
    public const string QuotedLocalPart = "quoted-local-part";

    /// <summary>@ours:victim@external: an RFC 821 source route through our host.</summary>
    public const string SourceRoute = "source-route";

    /// <summary>victim@[192.0.2.1]: an address literal of some other host.</summary>
    public const string IpLiteral = "ip-literal";

    /// <summary>victim%external@[this listener's address]: the percent hack through the server's own literal.</summary>
    public const string IpLiteralPercentHack = "ip-literal-percent-hack";
}
