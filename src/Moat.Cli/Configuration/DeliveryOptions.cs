namespace Moat.Cli.Configuration;

/// <summary>Section "delivery": where accepted mail goes and how hard Moat tries.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Routes by recipient domain. Default: example.test and localhost into the Maildir under the data folder.</summary>
    public Dictionary<string, RouteOptions>? Routes { get; set; }

    /// <summary>Route for every other domain. Default: MX lookup.</summary>
    public RouteOptions DefaultRoute { get; set; } = new() { Transport = "mx" };

    /// <summary>DNS servers as "address" or "address:port". Default: the system's resolvers.</summary>
    public List<string>? DnsServers { get; set; }

    /// <summary>Delay before the first retry; each later retry waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this long in the queue a message is returned to its sender with a DSN.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(5);

    public int MaxConcurrency { get; set; } = 50;

    public int MaxConcurrencyPerDestination { get; set; } = 10;
}
