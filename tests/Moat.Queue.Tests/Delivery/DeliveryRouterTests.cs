using Moat.Queue.Delivery;

namespace Moat.Queue.Tests.Delivery;

public sealed class DeliveryRouterTests
{
    private readonly DeliveryRouter router = new(new DeliveryOptions
    {
        Routes =
        [
            new RouteOptions { Domain = "Example.ORG.", Type = RouteType.Smtp, Host = "10.0.0.5", Port = 2525 },
            new RouteOptions { Domain = "local.test", Type = RouteType.Maildir, Folder = "/var/mail/x" },
        ],
    });

    [Theory]
    [InlineData("example.org")]
    [InlineData("EXAMPLE.org")]
    [InlineData("example.org.")]
    public void Domains_match_ignoring_case_and_trailing_dot(string domain)
    {
        var route = router.Resolve(domain);
        Assert.Equal(RouteType.Smtp, route.Type);
        Assert.Equal(2525, route.Port);
    }

    [Fact]
    public void Unknown_domains_take_the_default_mx_route()
    {
        var route = router.Resolve("elsewhere.test");
        Assert.Equal(RouteType.Mx, route.Type);
        Assert.Equal(25, route.Port);
        Assert.Equal(TlsMode.Opportunistic, route.Tls);
        Assert.Equal(RouteType.Maildir, router.Resolve("local.test").Type);
    }

    [Fact]
    public void Relay_routes_share_a_destination_and_mx_routes_are_per_domain()
    {
        var relay = router.Resolve("example.org");
        Assert.Equal(DeliveryRouter.DestinationKey(relay, "example.org"), DeliveryRouter.DestinationKey(relay, "other.org"));
        var mx = router.Resolve("a.test");
        Assert.NotEqual(DeliveryRouter.DestinationKey(mx, "a.test"), DeliveryRouter.DestinationKey(mx, "b.test"));
        Assert.Equal(DeliveryRouter.DestinationKey(mx, "a.test"), DeliveryRouter.DestinationKey(mx, "A.test."));
    }
}
