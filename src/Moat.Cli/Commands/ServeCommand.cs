using System.CommandLine;
using Moat.Cli.Hosting;
using Moat.Cli.Hosting.Logging;

namespace Moat.Cli.Commands;

/// <summary><c>moat serve</c>: run the gateway until SIGTERM or Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command("serve", "Run the gateway: receive, check, queue and deliver mail.") { config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var stopSignal = new StopSignal(cancellationToken);
            var options = CommonOptions.Load(result, config, data);
            if (options is null)
            {
                return ExitCodes.ConfigurationError;
            }

            if (!GatewayLogging.TryCreate(options, out var createdLoggerFactory))
            {
                return ExitCodes.Failure;
            }

            using var loggerFactory = createdLoggerFactory;
            return await GatewayHost.RunAsync(options, result.GetValue(config), loggerFactory, stopSignal.Token);
        });
        return command;
    }
}
