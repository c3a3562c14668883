using System.Diagnostics;
using Moat.Testing;

namespace Moat.Cli.Tests.Support;

/// <summary>Runs swaks, the real command-line SMTP client, against a loopback port.</summary>
public static class Swaks
{
    public static async Task<SwaksResult> RunAsync(int port, params string[] arguments)
    {
        TestPrerequisites.RequireExecutable("/usr/bin/swaks", "swaks");
        var start = new ProcessStartInfo("/usr/bin/swaks")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--server", $"127.0.0.1:{port}", "--timeout", "30" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new SwaksResult(process.ExitCode, await stdout + await stderr);
    }
}
