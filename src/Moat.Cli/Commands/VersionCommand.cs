using System.CommandLine;
using System.Reflection;

namespace Moat.Cli.Commands;

/// <summary><c>moat version</c>: the version for the operator. The network never sees it.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Moat's version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
                ?? "unknown";
            Console.WriteLine($"moat {version.Split('+')[0]}");
            return ExitCodes.Success;
        });
        return command;
    }
}
