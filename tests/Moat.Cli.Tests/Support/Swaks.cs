using Moat.Testing;

namespace Moat.Cli.Tests.Support;

/// <summary>Runs swaks, the real command-line SMTP client, against a loopback port.</summary>
public static class Swaks
{
    public static async Task<SwaksResult> RunAsync(int port, params string[] arguments)
    {
        TestPrerequisites.RequireExecutable("/usr/bin/swaks", "swaks");
        var result = await ExternalProcess.RunAsync(
            "/usr/bin/swaks",
            new[] { "--server", $"127.0.0.1:{port}", "--timeout", "30" }.Concat(arguments));
        return new SwaksResult(result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
