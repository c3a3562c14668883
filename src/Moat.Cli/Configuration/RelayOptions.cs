namespace Moat.Cli.Configuration;

/// <summary>Section "relay": whose mail Moat takes, and for whom it relays.</summary>
public sealed class RelayOptions
{
    /// <summary>Domains Moat receives mail for from anyone. Default: example.test and localhost.</summary>
    public List<string>? AcceptedDomains { get; set; }

    /// <summary>Client networks (CIDR) that may relay anywhere. Default: loopback only.</summary>
    public List<string>? TrustedNetworks { get; set; }

    /// <summary>Which envelope senders an authenticated user may use: own (default), domain or any.</summary>
    public Moat.Pipeline.Filters.Sender.SenderOwnership AuthenticatedSenders { get; set; } = Moat.Pipeline.Filters.Sender.SenderOwnership.Own;
}
