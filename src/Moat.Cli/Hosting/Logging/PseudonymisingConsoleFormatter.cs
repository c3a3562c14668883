using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Moat.Cli.Hosting.Logging;

/// <summary>
/// The console format of <c>moat serve</c>: the single-line layout of the built-in simple
/// formatter with UTC timestamps (<c>2026-11-28T13:23:07.756Z info: Category[EventId] message</c>),
/// with every address in the message and in exception text pseudonymised when a pseudonymiser is
/// given. Every log line passes through here, so no call site can forget it.
/// </summary>
internal sealed class PseudonymisingConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "moat";

    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    // The escape codes the simple formatter writes; restoring both colours afterwards keeps the
    // rest of the line plain.
    private const string DefaultForeground = "\e[39m\e[22m";
    private const string DefaultBackground = "\e[49m";

    private readonly AddressPseudonymiser? pseudonymiser;
    private readonly bool colours;

    /// <param name="pseudonymiser">Null writes addresses as they are (privacy.pseudonymiseAddresses off).</param>
    /// <param name="colours">Colour the level as the simple formatter does; <see cref="TerminalWantsColours"/> decides it as .NET does.</param>
    public PseudonymisingConsoleFormatter(AddressPseudonymiser? pseudonymiser, bool colours)
        : base(FormatterName)
    {
        this.pseudonymiser = pseudonymiser;
        this.colours = colours;
    }

    /// <summary>
    /// The simple formatter's default: colours on a terminal unless NO_COLOR is set, and when
    /// redirected only if DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION asks for them.
    /// </summary>
    public static bool TerminalWantsColours()
    {
        if (!Console.IsOutputRedirected)
        {
            return Environment.GetEnvironmentVariable("NO_COLOR") is null;
        }

        return Environment.GetEnvironmentVariable("DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION") is { } allow
            && (allow == "1" || allow.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var exception = logEntry.Exception;
        if (message is null && exception is null)
        {
            return;
        }

        textWriter.Write(DateTimeOffset.UtcNow.ToString(TimestampFormat, CultureInfo.InvariantCulture));
        WriteLevel(textWriter, logEntry.LogLevel);
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write(']');
        WritePart(textWriter, message);
        if (exception is not null)
        {
            WritePart(textWriter, exception.ToString());
        }

        textWriter.Write(Environment.NewLine);
    }

    private void WritePart(TextWriter textWriter, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (pseudonymiser is not null)
        {
            text = pseudonymiser.Rewrite(text);
        }

        textWriter.Write(' ');
        textWriter.Write(text.Replace(Environment.NewLine, " ", StringComparison.Ordinal));
    }

    private void WriteLevel(TextWriter textWriter, LogLevel level)
    {
        var name = level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a level that is logged"),
        };
        (string Foreground, string Background)? colour = colours
            ? level switch
            {
                LogLevel.Trace or LogLevel.Debug => ("\e[37m", "\e[40m"),
                LogLevel.Information => ("\e[32m", "\e[40m"),
                LogLevel.Warning => ("\e[1m\e[33m", "\e[40m"),
                LogLevel.Error => ("\e[30m", "\e[41m"),
                _ => ("\e[1m\e[37m", "\e[41m"),
            }
            : null;
        if (colour is not { } codes)
        {
            textWriter.Write(name);
            return;
        }

        textWriter.Write(codes.Background);
        textWriter.Write(codes.Foreground);
        textWriter.Write(name);
        textWriter.Write(DefaultForeground);
        textWriter.Write(DefaultBackground);
    }
}
