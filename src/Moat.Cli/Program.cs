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
            AccountsCommand.Create(),
            QueueCommand.Create(),
            ConfigCommand.Create(),
            PipelineCommand.Create(),
            ScanCommand.Create(),
            SignaturesCommand.Create(),
            TrustCommand.Create(),
            PrivacyCommand.Create(),
            AuditCommand.Create(),
            AuditLogCommand.Create(),
            VersionCommand.Create(),
        };
        // On SIGTERM or Ctrl+C the command's token is cancelled; serve then stops its parts in
        // order, which may take up to its 20 s grace, so the process must not be cut short.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }
}
