using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Moat.Cli.Configuration;

namespace Moat.Cli.Hosting.Logging;

/// <summary>The logging of <c>moat serve</c>: one line per event on standard output, addresses pseudonymised when privacy.pseudonymiseAddresses asks for it.</summary>
internal static partial class GatewayLogging
{
    /// <summary>The logger factory, or false after printing why the pseudonym key cannot be used.</summary>
    public static bool TryCreate(MoatOptions options, [NotNullWhen(true)] out ILoggerFactory? loggerFactory)
    {
        loggerFactory = null;
        AddressPseudonymiser? pseudonymiser = null;
        if (options.Privacy.PseudonymiseAddresses)
        {
            try
            {
                pseudonymiser = AddressPseudonymiser.LoadOrCreate(options.DataDirectory);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Logging addresses in clear instead would break the promise the setting makes.
                Console.Error.WriteLine($"Cannot start: privacy.pseudonymiseAddresses needs the key {Path.GetFullPath(AddressPseudonymiser.KeyPath(options.DataDirectory))}: {exception.Message}");
                return false;
            }
        }

        loggerFactory = Create(pseudonymiser);
        if (pseudonymiser is not null)
        {
            LogPseudonymised(loggerFactory.CreateLogger(typeof(GatewayLogging)));
        }

        return true;
    }

    public static ILoggerFactory Create(AddressPseudonymiser? pseudonymiser)
    {
        var formatter = new PseudonymisingConsoleFormatter(pseudonymiser, PseudonymisingConsoleFormatter.TerminalWantsColours());
        return LoggerFactory.Create(logging =>
        {
            logging
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddConsole(console => console.FormatterName = PseudonymisingConsoleFormatter.FormatterName);
            logging.Services.AddSingleton<ConsoleFormatter>(formatter);
        });
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "E-mail addresses in this log are pseudonymised; `moat privacy pseudonym ADDRESS` gives the one to search for")]
    private static partial void LogPseudonymised(ILogger logger);
}
