using System.CommandLine;
using Moat.Cli.Configuration;

namespace Moat.Cli.Commands;

/// <summary><c>moat config check</c>: the same loading and validation as <c>moat serve</c>, without serving.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var check = new Command("check", "Validate the configuration and print what Moat would run.") { config, data };
        check.SetAction(result =>
        {
            var options = CommonOptions.Load(result, config, data);
            if (options is null)
            {
                return ExitCodes.ConfigurationError;
            }

            Console.WriteLine($"Configuration is valid ({result.GetValue(config) ?? "embedded default"}).");
            Console.WriteLine($"  host name        {options.HostName}");
            Console.WriteLine($"  data folder      {Path.GetFullPath(options.DataDirectory)}");
            foreach (var listener in options.Listeners!)
            {
                Console.WriteLine($"  listener         {listener.Name}: {listener.Address}:{listener.Port} ({listener.Role}{(listener.ImplicitTls ? ", implicit TLS" : string.Empty)})");
            }

            Console.WriteLine($"  accepted domains {string.Join(", ", options.Relay.AcceptedDomains!)}");
            Console.WriteLine($"  trusted networks {string.Join(", ", options.Relay.TrustedNetworks!)}");
            foreach (var (domain, route) in options.Delivery.Routes!)
            {
                Console.WriteLine($"  route            {domain} -> {Describe(route)}");
            }

            Console.WriteLine($"  route            * -> {Describe(options.Delivery.DefaultRoute)}");
            Console.WriteLine($"  web              {(options.Web.Enabled ? WebAddress(options.Web) : "off")}");
            Console.WriteLine($"  metrics          {(options.Web.Enabled && options.Metrics.Enabled ? WebAddress(options.Web) + "metrics" : "off")}");
            return ExitCodes.Success;
        });

        return new Command("config", "Work with the configuration.") { check };
    }

    private static string WebAddress(WebOptions web) =>
        $"{(web.Https ? "https" : "http")}://{web.Listen}/";

    private static string Describe(RouteOptions route) => route.Transport.ToLowerInvariant() switch
    {
        "smtp" => $"smtp {route.Host}:{route.Port} (TLS {route.Tls})",
        "maildir" => $"maildir {route.Folder ?? "<data>/maildir"}",
        _ => "MX lookup",
    };
}
