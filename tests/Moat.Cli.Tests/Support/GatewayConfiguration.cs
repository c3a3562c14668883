using System.Text.Json.Nodes;
using Moat.Testing;

namespace Moat.Cli.Tests.Support;

/// <summary>Builds the JSON configuration of a gateway under test: loopback only, free ports, no TLS key on disk unless asked.</summary>
public static class GatewayConfiguration
{
    public const string HostName = "mx.example.test";

    /// <summary>One inbound listener on a free port; example.test accepted; metrics on a free port.</summary>
    public static JsonObject Create(int? smtpPort = null)
    {
        return new JsonObject
        {
            ["hostName"] = HostName,
            ["listeners"] = new JsonArray(Listener("inbound", smtpPort ?? FreePort.Get(), "inbound")),
            ["relay"] = new JsonObject
            {
                ["acceptedDomains"] = new JsonArray("example.test"),
                ["trustedNetworks"] = new JsonArray("127.0.0.0/8"),
            },
            ["delivery"] = new JsonObject
            {
                ["routes"] = new JsonObject(),
                ["firstRetryDelay"] = "00:00:01",
                ["maxRetryDelay"] = "00:00:02",
            },
            ["web"] = new JsonObject { ["listen"] = $"127.0.0.1:{FreePort.Get()}" },
        };
    }

    public static JsonObject Listener(string name, int port, string role, bool implicitTls = false) => new()
    {
        ["name"] = name,
        ["address"] = "127.0.0.1",
        ["port"] = port,
        ["role"] = role,
        ["implicitTls"] = implicitTls,
    };

    public static int SmtpPort(this JsonObject configuration, int listener = 0) =>
        (int)configuration["listeners"]![listener]!["port"]!;

    public static string MetricsUrl(this JsonObject configuration) =>
        WebUrl(configuration) + "metrics";

    /// <summary>The web listener's base URL, ending in a slash.</summary>
    public static string WebUrl(this JsonObject configuration) =>
        $"http://{(string)configuration["web"]!["listen"]!}/";

    public static JsonObject Route(this JsonObject configuration, string domain, JsonObject route)
    {
        configuration["delivery"]!["routes"]![domain] = route;
        return configuration;
    }

    public static JsonObject SmtpRoute(int port, string tls = "none") => new()
    {
        ["transport"] = "smtp",
        ["host"] = "127.0.0.1",
        ["port"] = port,
        ["tls"] = tls,
    };

    public static JsonObject TrustNoClient(this JsonObject configuration)
    {
        // TEST-NET-1 is never a test client, so every loopback client is an untrusted stranger.
        configuration["relay"]!["trustedNetworks"] = new JsonArray("192.0.2.0/24");
        return configuration;
    }
}
