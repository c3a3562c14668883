using Moat.Cli.Configuration;
using Moat.Queue;
using Moat.Queue.Delivery;
using QueueRoute = Moat.Queue.Delivery.RouteOptions;

namespace Moat.Cli.Hosting;

/// <summary>Turns the configuration file's delivery section into the queue's options.</summary>
internal static class QueueOptionsFactory
{
    public static QueueOptions Create(MoatOptions options)
    {
        var delivery = options.Delivery;
        return new QueueOptions
        {
            Folder = QueueFolder(options),
            Hostname = options.HostName!,
            MaximalLifetime = delivery.MaxLifetime,
            MaxConcurrentDeliveries = delivery.MaxConcurrency,
            MaxConcurrentPerDestination = delivery.MaxConcurrencyPerDestination,
            Retry = new RetryScheduleOptions { First = delivery.FirstRetryDelay, Maximum = delivery.MaxRetryDelay },
            Delivery = new Moat.Queue.Delivery.DeliveryOptions
            {
                Routes = (delivery.Routes ?? []).Select(r => CreateRoute(options, r.Value, r.Key)).ToList(),
                DefaultRoute = CreateRoute(options, delivery.DefaultRoute, string.Empty),
            },
            Dns = new Moat.Queue.Dns.DnsOptions { NameServers = [.. delivery.DnsServers ?? []] },
        };
    }

    public static string QueueFolder(MoatOptions options) => Path.GetFullPath(Path.Combine(options.DataDirectory, "queue"));

    public static string MaildirFolder(MoatOptions options) => Path.GetFullPath(Path.Combine(options.DataDirectory, "maildir"));

    private static QueueRoute CreateRoute(MoatOptions options, Configuration.RouteOptions route, string domain) => new()
    {
        Domain = domain,
        Type = Enum.Parse<RouteType>(route.Transport, ignoreCase: true),
        Host = route.Host ?? string.Empty,
        Port = route.Port,
        Tls = Enum.Parse<TlsMode>(route.Tls, ignoreCase: true),
        Folder = route.Folder is null ? MaildirFolder(options) : Path.GetFullPath(route.Folder),
    };
}
