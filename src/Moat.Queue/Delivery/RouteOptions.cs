namespace Moat.Queue.Delivery;

/// <summary>How mail for one recipient domain leaves.</summary>
public sealed class RouteOptions
{
    /// <summary>The recipient domain this route serves; ignored for the default route.</summary>
    public string Domain { get; set; } = string.Empty;

    public RouteType Type { get; set; } = RouteType.Mx;

    /// <summary>Relay host name or IP address (Smtp routes).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Port for Smtp routes, and for Mx routes (25 on the Internet; tests use another).</summary>
    public int Port { get; set; } = 25;

    public TlsMode Tls { get; set; } = TlsMode.Opportunistic;

    /// <summary>Folder holding one Maildir per recipient (Maildir routes).</summary>
    public string Folder { get; set; } = string.Empty;
}
