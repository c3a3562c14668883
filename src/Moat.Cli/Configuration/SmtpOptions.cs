namespace Moat.Cli.Configuration;

/// <summary>Protocol limits shared by every listener (section "smtp").</summary>
public sealed class SmtpOptions
{
    /// <summary>Greeting text after "220 "; default "&lt;hostName&gt; ESMTP".</summary>
    public string? Greeting { get; set; }

    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    public int MaxRecipients { get; set; } = 100;

    public int MaxErrors { get; set; } = 10;

    public int MaxConnections { get; set; } = 1000;

    public int MaxConnectionsPerClient { get; set; } = 20;

    public int MaxCommandLineLength { get; set; } = 2048;

    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan DataBlockTimeout { get; set; } = TimeSpan.FromMinutes(3);
}
