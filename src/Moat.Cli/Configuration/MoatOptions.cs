namespace Moat.Cli.Configuration;

/// <summary>
/// The whole configuration file. Every key left out keeps its embedded default, so an empty file
/// (or none) runs the embedded default; a list or table that is given replaces the default whole.
/// </summary>
public sealed class MoatOptions
{
    /// <summary>The name Moat gives itself in the greeting, EHLO and Received headers. Default: the machine's host name.</summary>
    public string? HostName { get; set; }

    /// <summary>Where the queue, the Maildir of the embedded default and generated keys live.</summary>
    public string DataDirectory { get; set; } = "moat-data";

    public SmtpOptions Smtp { get; set; } = new();

    public List<ListenerOptions>? Listeners { get; set; }

    public TlsOptions Tls { get; set; } = new();

    public RelayOptions Relay { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public AntivirusOptions Antivirus { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The HTTP listener: admin pages, public pages linked from mail, metrics.</summary>
    public WebOptions Web { get; set; } = new();

    /// <summary>Retention, pseudonymised logs and the privacy notice.</summary>
    public PrivacyOptions Privacy { get; set; } = new();

    /// <summary>Allow-lists, sender authentication and the unknown-sender policy (the <c>trust</c> filter).</summary>
    public Moat.Trust.TrustOptions Trust { get; set; } = new();

    /// <summary>Users, password hashing, password popularity and spraying detection.</summary>
    public Moat.Accounts.Accounts.AccountsOptions Accounts { get; set; } = new();
}
