using System.Net;
using Microsoft.Extensions.Configuration;

namespace Moat.Cli.Configuration;

/// <summary>
/// The embedded default: a loopback listener on 2525, mail for example.test and localhost into a
/// Maildir under the data folder, loopback as the only trusted network. A list or table left out
/// of the file gets its default here; one written in the file (even empty) replaces it.
/// </summary>
public static class EmbeddedDefaults
{
    public const int SmtpPort = 2525;

    public static IReadOnlyList<string> AcceptedDomains { get; } = ["example.test", "localhost"];

    public static IReadOnlyList<string> TrustedNetworks { get; } = ["127.0.0.0/8", "::1/128"];

    public static IReadOnlyList<string> PipelineOrder { get; } = ["size", "sender", "relay", "recipient-domains", "antivirus"];

    public static void Apply(MoatOptions options, IConfiguration configuration)
    {
        options.HostName ??= Dns.GetHostName();
        options.Listeners ??= Given(configuration, "Listeners")
            ? []
            : [new ListenerOptions { Name = "inbound", Address = "127.0.0.1", Port = SmtpPort, Role = "inbound" }];
        options.Relay.AcceptedDomains ??= Given(configuration, "Relay:AcceptedDomains") ? [] : [.. AcceptedDomains];
        options.Relay.TrustedNetworks ??= Given(configuration, "Relay:TrustedNetworks") ? [] : [.. TrustedNetworks];
        options.Pipeline.Order ??= Given(configuration, "Pipeline:Order") ? [] : [.. PipelineOrder];
        options.Delivery.DnsServers ??= [];
        options.Antivirus.Clamd ??= [];
        var antivirusEngines = options.Antivirus.Clamd.Count > 0 ? new[] { "signatures", "heuristics", "clamd" } : ["signatures", "heuristics"];
        options.Antivirus.Inbound.Engines ??= Given(configuration, "Antivirus:Inbound:Engines") ? [] : [.. antivirusEngines];
        options.Antivirus.Outbound.Engines ??= Given(configuration, "Antivirus:Outbound:Engines") ? [] : [.. antivirusEngines];
        options.Delivery.Routes ??= Given(configuration, "Delivery:Routes")
            ? []
            : AcceptedDomains.ToDictionary(d => d, _ => new RouteOptions { Transport = "maildir" }, StringComparer.OrdinalIgnoreCase);
    }

    // An empty list in JSON binds to null, but its key is there: that means "none", not "default".
    private static bool Given(IConfiguration configuration, string key) => configuration.GetSection(key).Exists();
}
