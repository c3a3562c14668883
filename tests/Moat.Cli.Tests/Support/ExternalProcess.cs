using System.Diagnostics;

namespace Moat.Cli.Tests.Support;

/// <summary>Runs a program to completion (bounded in time) and returns what it printed.</summary>
public static class ExternalProcess
{
    /// <param name="standardInput">Written to the program's standard input, which is then closed; when null the program inherits this process's.</param>
    public static async Task<CommandResult> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null, string? standardInput = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = standardInput is not null;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            try
            {
                await process.StandardInput.WriteAsync(standardInput);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited without reading all of it; its output says why.
            }
        }

        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not finish in time.");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CommandResult> RunAsync(string executable, IEnumerable<string> arguments) =>
        RunAsync(new ProcessStartInfo(executable, arguments));
}
