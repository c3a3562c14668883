using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moat.Bench.Scanning;

/// <summary>
/// The harness's <c>worker</c> mode in a child process: Moat's scanner alone in a process, so
/// that process's memory and CPU are the scanner's, measured the way clamd's are. One request
/// at a time over stdin and stdout, one JSON line each way.
/// </summary>
internal sealed class MoatWorker : IAsyncDisposable
{
    private readonly Process _process;

    private MoatWorker(Process process, JsonObject loaded)
    {
        _process = process;
        Loaded = loaded;
    }

    /// <summary>What the worker reported once the set was loaded.</summary>
    public JsonObject Loaded { get; }

    public string ProcessId => _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<MoatWorker> StartAsync(string harnessDll, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(harnessDll);
        start.ArgumentList.Add("worker");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the Moat worker did not start");
        var loaded = await ReadLineAsync(process) as JsonObject ?? throw new InvalidOperationException("the Moat worker sent no load report");
        return new MoatWorker(process, loaded);
    }

    public async Task<Outcome[]> ScanAsync(string[] files, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(files).AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
        var reply = await ReadLineAsync(_process) as JsonArray ?? throw new InvalidOperationException("the Moat worker sent no verdicts");
        return [.. reply.Select(o => new Outcome(Enum.Parse<Verdict>((string)o![0]!), (string?)o[1]))];
    }

    public async Task<JsonObject> MemoryAsync()
    {
        await _process.StandardInput.WriteLineAsync("memory");
        await _process.StandardInput.FlushAsync();
        return await ReadLineAsync(_process) as JsonObject ?? throw new InvalidOperationException("the Moat worker sent no memory figures");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static async Task<JsonNode?> ReadLineAsync(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException($"the Moat worker ended (exit code {(process.HasExited ? process.ExitCode : -1)})");
        return JsonNode.Parse(line);
    }
}
