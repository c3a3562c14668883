namespace Moat.Cli.Configuration;

/// <summary>
/// Section "web": the one HTTP listener of <c>moat serve</c>. It serves the admin pages, the
/// public pages that mail links to (challenge confirmation, quarantine release) and, when
/// metrics are enabled, <c>/metrics</c>.
/// </summary>
public sealed class WebOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Address and port. Anything but loopback needs <see cref="Https"/>: session cookies must not cross a network in clear.</summary>
    public string Listen { get; set; } = "127.0.0.1:8025";

    /// <summary>Serve HTTPS with the gateway's certificate (tls.certificate, or the generated self-signed one).</summary>
    public bool Https { get; set; }

    /// <summary>How users reach the listener, e.g. https://mail.example.org:8025; the base of links in digest mails. Default: the listen address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>A login lasts this long without activity.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a one-click release link in a digest mail stays valid.</summary>
    public TimeSpan ReleaseLinkLifetime { get; set; } = TimeSpan.FromDays(7);
}
