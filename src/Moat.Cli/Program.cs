using System.CommandLine;
using Moat.Cli.Commands;

namespace Moat.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Moat: an email security gateway.")
        {
            ServeCommand.Create(),
            QueueCommand.Create(),
            ConfigCommand.Create(),
            PipelineCommand.Create(),
            VersionCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
