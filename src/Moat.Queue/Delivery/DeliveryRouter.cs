namespace Moat.Queue.Delivery;

/// <summary>Finds the route for a recipient domain and names the destination it leads to.</summary>
public sealed class DeliveryRouter
{
    private readonly Dictionary<string, RouteOptions> routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly RouteOptions defaultRoute;

    public DeliveryRouter(DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var route in options.Routes)
        {
            routes[Normalize(route.Domain)] = route;
        }

        defaultRoute = options.DefaultRoute;
    }

    public static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    public RouteOptions Resolve(string domain) =>
        routes.TryGetValue(Normalize(domain), out var route) ? route : defaultRoute;

    /// <summary>
    /// The key for per-destination concurrency and connection reuse: the relay host for Smtp
    /// routes (all its domains share connections), the domain for Mx routes, the folder for Maildir.
    /// </summary>
    public static string DestinationKey(RouteOptions route, string domain) => route.Type switch
    {
        RouteType.Smtp => $"smtp:{route.Host.ToLowerInvariant()}:{route.Port}:{route.Tls}",
        RouteType.Maildir => "maildir:" + route.Folder,
        _ => $"mx:{Normalize(domain)}:{route.Port}:{route.Tls}",
    };
}
