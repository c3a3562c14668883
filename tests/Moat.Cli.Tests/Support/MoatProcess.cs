using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moat.Cli.Tests.Support;

/// <summary>
/// The real <c>moat</c> executable, started as its own process with a configuration file in a
/// temporary folder, so end-to-end tests meet exactly what an administrator runs. It can be
/// killed with SIGKILL and started again on the same data folder.
/// </summary>
public sealed class MoatProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;

    private MoatProcess(string folder, JsonObject configuration)
    {
        Folder = folder;
        Configuration = configuration;
    }

    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string ConfigFile => Path.Combine(Folder, "moat.json");

    public JsonObject Configuration { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process?.HasExited ?? true;

    public int ExitCode => process?.ExitCode ?? -1;

    /// <summary>The running process's id (for looking into /proc).</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("moat is not running.");

    /// <summary>Writes the configuration and starts <c>moat serve</c>; returns once every SMTP listener accepts connections.</summary>
    public static async Task<MoatProcess> StartAsync(JsonObject configuration, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("moat-e2e-").FullName;
        var moat = new MoatProcess(folder, configuration);
        await moat.StartAgainAsync();
        return moat;
    }

    /// <summary>Runs a one-shot command (e.g. "queue list") against the same configuration and data folder.</summary>
    public Task<CommandResult> RunCommandAsync(params string[] arguments) =>
        RunAsync([.. arguments, "--config", ConfigFile, "--data", DataDirectory]);

    /// <summary>Runs the moat executable with exactly these arguments.</summary>
    public static Task<CommandResult> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the moat executable with these arguments and extra environment variables.</summary>
    public static async Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = CreateStartInfo(arguments);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return await ExternalProcess.RunAsync(start);
    }

    /// <summary>Runs the moat executable with these arguments, writing <paramref name="standardInput"/> to its standard input.</summary>
    public static Task<CommandResult> RunWithInputAsync(string standardInput, params string[] arguments) =>
        ExternalProcess.RunAsync(CreateStartInfo(arguments), standardInput: standardInput);

    /// <summary>Writes the configuration and starts <c>moat serve</c> without waiting for anything.</summary>
    public static async Task<MoatProcess> LaunchAsync(JsonObject configuration)
    {
        var moat = new MoatProcess(Directory.CreateTempSubdirectory("moat-e2e-").FullName, configuration);
        await moat.LaunchAsync();
        return moat;
    }

    public async Task StartAgainAsync()
    {
        await LaunchAsync();
        foreach (var port in ListenerPorts())
        {
            await WaitForPortAsync(port);
        }
    }

    /// <summary>Waits until the process has written <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"moat never wrote \"{text}\":\n{Output}");
            }

            await Task.Delay(10);
        }
    }

    private async Task LaunchAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(ConfigFile, Configuration.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        process = Process.Start(CreateStartInfo(["serve", "--config", ConfigFile, "--data", DataDirectory]))!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait: the graceful stop an init system does.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
    }

    private IEnumerable<int> ListenerPorts() =>
        Configuration["listeners"]?.AsArray().Select(l => (int)l!["port"]!) ?? [];

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"moat exited with code {process.ExitCode} before listening on port {port}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static ProcessStartInfo CreateStartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "moat.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The tests' own MOAT_* variables must not leak into the process under test.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MOAT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        return start;
    }
}
