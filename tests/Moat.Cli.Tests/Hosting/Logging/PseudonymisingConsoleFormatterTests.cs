using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Moat.Cli.Hosting.Logging;

namespace Moat.Cli.Tests.Hosting.Logging;

/// <summary>The serve format against the built-in simple formatter it replaces, configured as serve configured it before.</summary>
public sealed class PseudonymisingConsoleFormatterTests : IDisposable
{
    private const string Timestamp = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ";

    private readonly ServiceProvider services;

    public PseudonymisingConsoleFormatterTests()
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        }));
        services = collection.BuildServiceProvider();
    }

    public static TheoryData<LogLevel, bool, bool> Cases()
    {
        var cases = new TheoryData<LogLevel, bool, bool>();
        foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical })
        {
            foreach (var colours in new[] { false, true })
            {
                cases.Add(level, colours, false);
                cases.Add(level, colours, true);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheLineIsTheSimpleFormattersSingleLine(LogLevel level, bool colours, bool withException)
    {
        var exception = withException ? Thrown() : null;
        var message = $"transaction id=1Ab2 client=127.0.0.1{Environment.NewLine}second line";

        var expected = Format(Simple(colours), level, message, exception);
        var actual = Format(new PseudonymisingConsoleFormatter(null, colours), level, message, exception);

        Assert.Matches(Timestamp, actual);
        Assert.EndsWith(Environment.NewLine, actual);
        Assert.Single(actual.Split(Environment.NewLine), line => line.Length > 0);
        Assert.Equal(expected[25..], actual[25..]);
        Assert.Equal(colours, actual.Contains('\e'));
    }

    [Fact]
    public void WithoutAPseudonymiserAddressesStay()
    {
        var line = Format(new PseudonymisingConsoleFormatter(null, colours: false), LogLevel.Information, "refused from=<alice@example.org>", null);

        Assert.Matches(Timestamp + @"info: Moat\.Test\[7\] refused from=<alice@example\.org>\n$", line);
    }

    [Fact]
    public void WithAPseudonymiserMessageAndExceptionAreRewritten()
    {
        var pseudonymiser = new AddressPseudonymiser(new byte[32]);
        var exception = Thrown("no such user bob@example.test");

        var line = Format(new PseudonymisingConsoleFormatter(pseudonymiser, colours: false), LogLevel.Warning, "refused from=<alice@example.org>", exception);

        Assert.DoesNotContain("alice@example.org", line);
        Assert.DoesNotContain("bob@example.test", line);
        Assert.Matches(Timestamp + $@"warn: Moat\.Test\[7\] refused from=<{pseudonymiser.Pseudonym("alice@example.org")}> System\.InvalidOperationException: no such user {pseudonymiser.Pseudonym("bob@example.test")} ", line);
    }

    public void Dispose() => services.Dispose();

    private ConsoleFormatter Simple(bool colours)
    {
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;
        options.ColorBehavior = colours ? LoggerColorBehavior.Enabled : LoggerColorBehavior.Disabled;
        return formatter;
    }

    private static string Format(ConsoleFormatter formatter, LogLevel level, string message, Exception? exception)
    {
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Moat.Test", new EventId(7), message, exception, (state, _) => state);
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }

    private static Exception Thrown(string message = "the spool is gone")
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }
}
