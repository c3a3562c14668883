namespace Moat.Cli.Configuration;

/// <summary>One delivery route.</summary>
public sealed class RouteOptions
{
    /// <summary>"smtp" (a fixed host), "mx" (the domain's MX hosts) or "maildir" (a local folder).</summary>
    public string Transport { get; set; } = "smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>"none", "opportunistic" or "required".</summary>
    public string Tls { get; set; } = "opportunistic";

    /// <summary>For maildir: the folder. Default: "maildir" under the data folder.</summary>
    public string? Folder { get; set; }
}
