namespace Moat.Queue.Delivery;

/// <summary>Routes and SMTP client settings.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Routes by recipient domain (case-insensitive, trailing dot ignored).</summary>
    public List<RouteOptions> Routes { get; set; } = [];

    /// <summary>Used for domains without a route of their own: MX delivery.</summary>
    public RouteOptions DefaultRoute { get; set; } = new() { Type = RouteType.Mx };

    /// <summary>Timeout of one SMTP command or data transfer.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of one TCP connect.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle connection is kept for the next message to the same destination.</summary>
    public TimeSpan ConnectionIdleTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages sent over one connection before it is closed and a new one opened.</summary>
    public int MaxMessagesPerConnection { get; set; } = 100;
}
