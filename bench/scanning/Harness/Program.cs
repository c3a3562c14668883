using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Moat.Scanning.Content;
using Moat.Scanning.Engines;
using Moat.Scanning.Scanning;
using Moat.Scanning.Signatures;

namespace Moat.Bench.Scanning;

/// <summary>
/// The antivirus benchmark harness. Every mode prints one JSON document on stdout.
/// <list type="bullet">
/// <item><c>load --db FILE|DIR…</c>: loads the signatures with <see cref="SignatureLoader"/> (no built-in database) and reports the time.</item>
/// <item><c>moat --db DIR --corpus DIR [--parallel N] [--warmup N]</c>: loads, then scans every message of every
/// corpus sub-folder the way the gateway does (<see cref="MultiEngineScanner"/> with the signature engine alone, the
/// message as a <c>message/rfc822</c> root), N messages at a time.</item>
/// <item><c>clamd --port P --corpus DIR [--parallel N]</c>: sends every message to clamd on 127.0.0.1:P with INSTREAM,
/// N at a time, one connection per message (as clamdscan --stream and Moat's clamd engine do).</item>
/// <item><c>compare --db DIR --port P [--clamd-pid PID] --corpus DIR [--parallel N] [--warmup N] [--rounds R]</c>: both of
/// the above, taking turns folder by folder, R rounds (what bench/scanning/run.sh uses). Moat scans in a worker process
/// of its own, so its memory figures are the scanner's alone, as clamd's are clamd's alone, and not the clamd client's.</item>
/// <item><c>worker --db DIR [--parallel N]</c>: the worker <c>compare</c> starts. Prints the loaded set as one JSON line,
/// then for each line of stdin (a JSON array of files) scans them N at a time and prints their verdicts as one JSON
/// line; a line <c>memory</c> is answered with the process's memory figures.</item>
/// </list>
/// </summary>
internal static class Program
{
    private static readonly TimeSpan EngineTimeout = TimeSpan.FromMinutes(5);

    private static async Task<int> Main(string[] args)
    {
        var options = Parse(args.Skip(1).ToArray());
        var mode = args.FirstOrDefault();
        JsonObject result = mode switch
        {
            "load" => Load(options),
            "moat" => await ScanWithMoatAsync(options),
            "clamd" => await ScanWithClamdAsync(options),
            "compare" => await CompareAsync(options),
            "worker" => await WorkerAsync(options),
            _ => throw new ArgumentException("usage: moat-bench-scanning load|moat|clamd|compare|worker [options]"),
        };
        if (mode != "worker")
        {
            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static Dictionary<string, List<string>> Parse(string[] args)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"bad argument {args[i]}");
            }

            if (!options.TryGetValue(args[i], out var values))
            {
                options[args[i]] = values = [];
            }

            values.Add(args[i + 1]);
        }

        return options;
    }

    private static string One(Dictionary<string, List<string>> options, string name, string? fallback = null) =>
        options.TryGetValue(name, out var values) ? values[^1] : fallback ?? throw new ArgumentException($"{name} is required");

    private static List<string> DatabaseFiles(IEnumerable<string> paths) =>
        paths.SelectMany<string, string>(p => Directory.Exists(p)
                ? Directory.EnumerateFiles(p).Where(SignatureLoader.IsDatabaseFile).Order(StringComparer.Ordinal)
                : [p])
            .ToList();

    private static (SignatureSet Set, double WallMs) LoadSet(Dictionary<string, List<string>> options)
    {
        var files = DatabaseFiles(options.GetValueOrDefault("--db") ?? throw new ArgumentException("--db is required"));
        var started = Stopwatch.GetTimestamp();
        var set = SignatureLoader.LoadFiles(files, includeBuiltIn: false);
        return (set, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static JsonObject Load(Dictionary<string, List<string>> options)
    {
        var (set, wallMs) = LoadSet(options);
        var result = Describe(set, wallMs);
        result["memory"] = Memory();
        // What the loaded set itself keeps alive, without the loader's garbage: the heap after a full collection.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        result["set_heap_bytes"] = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(set);
        return result;
    }

    private static JsonObject Describe(SignatureSet set, double wallMs)
    {
        var s = set.Statistics;
        return new JsonObject
        {
            ["load_ms"] = Math.Round(wallMs, 1),
            ["load_ms_reported"] = Math.Round(s.LoadTime.TotalMilliseconds, 1),
            ["signatures"] = s.TotalSignatures,
            ["md5"] = s.Md5Hashes,
            ["body"] = s.BodySignatures,
            ["slow_patterns"] = s.SlowPatterns,
            ["skipped"] = s.Skipped,
            ["warnings"] = new JsonArray(s.Warnings.Take(5).Select(w => (JsonNode)w).ToArray()),
        };
    }

    private delegate Task<Outcome> ScanFile(string path, CancellationToken cancellationToken);

    /// <summary>Loads the set and returns a scan function that scans a message file as the gateway does.</summary>
    private static (ScanFile Scan, JsonObject Loaded) CreateMoatScanner(Dictionary<string, List<string>> options)
    {
        var (set, wallMs) = LoadSet(options);
        var loaded = Describe(set, wallMs);
        loaded["memory_after_load"] = Memory();
        var scanner = new MultiEngineScanner([new SignatureEngine(set)], new ScanPolicy { EngineTimeout = EngineTimeout });

        async Task<Outcome> ScanOne(string path, CancellationToken ct)
        {
            var length = new FileInfo(path).Length;
            var root = ScanRoots.FromStream(
                Path.GetFileName(path),
                _ => ValueTask.FromResult<Stream>(new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.Read,
                    Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                })),
                length,
                isMessage: true);
            var report = await scanner.ScanAsync(root, ct);
            var outcome = report.Outcome;
            return outcome.Kind switch
            {
                ScanOutcomeKind.Clean => new Outcome(Verdict.Clean, null),
                ScanOutcomeKind.Infected => new Outcome(Verdict.Infected, string.Join(",", outcome.Threats)),
                ScanOutcomeKind.LimitExceeded => new Outcome(Verdict.Error, "limit: " + string.Join("; ", outcome.Violations.Select(v => $"{v.Limit} {v.Detail}"))),
                _ => new Outcome(Verdict.Error, string.Join("; ", outcome.Failures.Select(f => f.ToString()))),
            };
        }

        return (ScanOne, loaded);
    }

    /// <summary>A scan function that sends the file to clamd on 127.0.0.1:port with INSTREAM, one connection per file.</summary>
    private static ScanFile CreateClamdScanner(Dictionary<string, List<string>> options)
    {
        var port = int.Parse(One(options, "--port"), System.Globalization.CultureInfo.InvariantCulture);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);

        async Task<Outcome> ScanOne(string path, CancellationToken ct)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint, ct);
            await using var net = new NetworkStream(socket, ownsSocket: false);
            await net.WriteAsync("zINSTREAM\0"u8.ToArray(), ct);
            var buffer = new byte[4 + (64 * 1024)];
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                int read;
                while ((read = await file.ReadAsync(buffer.AsMemory(4), ct)) > 0)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                    await net.WriteAsync(buffer.AsMemory(0, 4 + read), ct);
                }
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
            await net.WriteAsync(buffer.AsMemory(0, 4), ct);
            var reply = new MemoryStream();
            int n;
            while ((n = await net.ReadAsync(buffer, ct)) > 0)
            {
                reply.Write(buffer, 0, n);
                if (buffer[n - 1] == 0)
                {
                    break;
                }
            }

            var text = Encoding.ASCII.GetString(reply.ToArray()).TrimEnd('\0', '\n');
            if (text.EndsWith(": OK", StringComparison.Ordinal))
            {
                return new Outcome(Verdict.Clean, null);
            }

            if (text.EndsWith(" FOUND", StringComparison.Ordinal))
            {
                return new Outcome(Verdict.Infected, text["stream: ".Length..^" FOUND".Length]);
            }

            return new Outcome(Verdict.Error, text);
        }

        return ScanOne;
    }

    private static async Task<JsonObject> ScanWithMoatAsync(Dictionary<string, List<string>> options)
    {
        var (scan, loaded) = CreateMoatScanner(options);
        var result = await RunCorpusAsync(options, [new Side("moat", Batch(scan, ParallelCount(options)), () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds)]);
        result["load"] = loaded;
        result["memory"] = Memory();
        return result;
    }

    private static async Task<JsonObject> ScanWithClamdAsync(Dictionary<string, List<string>> options) =>
        await RunCorpusAsync(options, [new Side("clamd", Batch(CreateClamdScanner(options), ParallelCount(options)), ProcessCpu(options.GetValueOrDefault("--clamd-pid")?[^1]))]);

    /// <summary>
    /// Moat and clamd side by side, taking turns folder by folder and round by round (who goes
    /// first alternates), so both see the same machine load. Moat scans in a worker process of its
    /// own (<see cref="WorkerAsync"/>): its memory is then the scanner's alone, as clamd's is, and
    /// not this process's clamd client and bookkeeping.
    /// </summary>
    private static async Task<JsonObject> CompareAsync(Dictionary<string, List<string>> options)
    {
        await using var worker = await MoatWorker.StartAsync(
            typeof(Program).Assembly.Location, [.. options["--db"].SelectMany(db => new[] { "--db", db }), "--parallel", ParallelCount(options).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var clamd = new Side("clamd", Batch(CreateClamdScanner(options), ParallelCount(options)), ProcessCpu(options.GetValueOrDefault("--clamd-pid")?[^1]));
        var result = await RunCorpusAsync(options, [new Side("moat", worker.ScanAsync, ProcessCpu(worker.ProcessId)), clamd]);
        result["load"] = worker.Loaded;
        result["memory"] = await worker.MemoryAsync();
        result["driver_memory"] = Memory();
        return result;
    }

    /// <summary>The worker <see cref="CompareAsync"/> starts: loads the set, then scans the batches of files it is sent.</summary>
    private static async Task<JsonObject> WorkerAsync(Dictionary<string, List<string>> options)
    {
        var (scan, loaded) = CreateMoatScanner(options);
        var batch = Batch(scan, ParallelCount(options));
        var output = Console.Out;
        await output.WriteLineAsync(loaded.ToJsonString());
        await output.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            JsonNode reply;
            if (line == "memory")
            {
                reply = Memory();
            }
            else
            {
                var files = JsonSerializer.Deserialize<string[]>(line) ?? [];
                var outcomes = await batch(files, CancellationToken.None);
                reply = new JsonArray(outcomes.Select(o => (JsonNode)new JsonArray(o.Verdict.ToString(), o.Detail)).ToArray());
            }

            await output.WriteLineAsync(reply.ToJsonString());
            await output.FlushAsync();
        }

        return loaded;
    }

    private static int ParallelCount(Dictionary<string, List<string>> options) =>
        int.Parse(One(options, "--parallel", "2"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Scans a batch of files <paramref name="parallel"/> at a time; a file that cannot be read or sent is an error verdict.</summary>
    private static ScanBatch Batch(ScanFile scan, int parallel) => async (files, cancellationToken) =>
    {
        var outcomes = new Outcome[files.Length];
        var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Length), parallelOptions, async (i, ct) =>
        {
            try
            {
                outcomes[i] = await scan(files[i], ct);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                outcomes[i] = new Outcome(Verdict.Error, ex.GetType().Name + ": " + ex.Message);
            }
        });
        return outcomes;
    };

    /// <summary>A process's CPU seconds (user + system) from /proc/PID/stat; 0 when no PID is known.</summary>
    private static Func<double> ProcessCpu(string? pid)
    {
        if (pid is null)
        {
            return () => 0;
        }

        return () =>
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        };
    }

    private delegate Task<Outcome[]> ScanBatch(string[] files, CancellationToken cancellationToken);

    private sealed record Side(string Name, ScanBatch Scan, Func<double> CpuSeconds);

    /// <summary>
    /// For each side: an untimed warm-up of --warmup files from each folder; then --rounds rounds,
    /// in each of which every sub-folder of --corpus (in name order) is scanned by every side in
    /// turn (each side scans --parallel files at a time). A folder's figure is the median of its
    /// rounds; the total adds the folders' medians. Verdicts come from the first round.
    /// </summary>
    private static async Task<JsonObject> RunCorpusAsync(Dictionary<string, List<string>> options, Side[] sides)
    {
        var corpus = One(options, "--corpus");
        var parallel = int.Parse(One(options, "--parallel", "2"), System.Globalization.CultureInfo.InvariantCulture);
        var warmup = int.Parse(One(options, "--warmup", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var rounds = int.Parse(One(options, "--rounds", "1"), System.Globalization.CultureInfo.InvariantCulture);
        var folders = Directory.GetDirectories(corpus).Order(StringComparer.Ordinal)
            .Select(f => (Name: Path.GetFileName(f), Files: Directory.GetFiles(f).Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        foreach (var side in sides)
        {
            await side.Scan([.. folders.SelectMany(f => f.Files.Take(warmup))], CancellationToken.None);
        }

        // seconds[side][folder][round], cpu[side][folder][round]
        var seconds = sides.Select(_ => folders.Select(_ => new List<double>()).ToArray()).ToArray();
        var cpu = sides.Select(_ => folders.Select(_ => new List<double>()).ToArray()).ToArray();
        var verdicts = sides.Select(_ => new Dictionary<string, Outcome>(StringComparer.Ordinal)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var f = 0; f < folders.Length; f++)
            {
                for (var k = 0; k < sides.Length; k++)
                {
                    var s = (k + round + f) % sides.Length;
                    var side = sides[s];
                    var folder = folders[f];
                    var first = round == 0;
                    var cpuBefore = side.CpuSeconds();
                    var started = Stopwatch.GetTimestamp();
                    var outcomes = await side.Scan(folder.Files, CancellationToken.None);
                    seconds[s][f].Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                    for (var i = 0; i < outcomes.Length; i++)
                    {
                        if (first || outcomes[i].Verdict == Verdict.Error)
                        {
                            verdicts[s][folder.Name + "/" + Path.GetFileName(folder.Files[i])] = outcomes[i];
                        }
                    }

                    cpu[s][f].Add(side.CpuSeconds() - cpuBefore);
                    Console.Error.WriteLine($"round {round + 1}/{rounds} {side.Name,-6} {folder.Name,-14} {seconds[s][f][^1],8:0.000} s");
                }
            }
        }

        var result = new JsonObject { ["parallel"] = parallel, ["warmup_per_folder"] = warmup, ["rounds"] = rounds };
        for (var s = 0; s < sides.Length; s++)
        {
            var groups = new JsonObject();
            long totalFiles = 0, totalBytes = 0;
            double totalSeconds = 0, totalCpu = 0;
            for (var f = 0; f < folders.Length; f++)
            {
                var bytes = folders[f].Files.Sum(p => new FileInfo(p).Length);
                var median = Median(seconds[s][f]);
                var group = Rates(folders[f].Files.Length, bytes, median);
                group["rounds_seconds"] = new JsonArray(seconds[s][f].Select(x => (JsonNode)Math.Round(x, 3)).ToArray());
                group["cpu_seconds"] = Math.Round(Median(cpu[s][f]), 3);
                groups[folders[f].Name] = group;
                totalFiles += folders[f].Files.Length;
                totalBytes += bytes;
                totalSeconds += median;
                totalCpu += Median(cpu[s][f]);
            }

            var total = Rates(totalFiles, totalBytes, totalSeconds);
            total["cpu_seconds"] = Math.Round(totalCpu, 2);
            var infected = new JsonObject();
            var errors = new JsonObject();
            foreach (var (key, outcome) in verdicts[s].OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (outcome.Verdict == Verdict.Infected)
                {
                    infected[key] = outcome.Detail;
                }
                else if (outcome.Verdict == Verdict.Error)
                {
                    errors[key] = outcome.Detail;
                }
            }

            result[sides[s].Name] = new JsonObject { ["total"] = total, ["groups"] = groups, ["infected"] = infected, ["errors"] = errors };
        }

        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static JsonObject Rates(long files, long bytes, double seconds) => new()
    {
        ["messages"] = files,
        ["bytes"] = bytes,
        ["seconds"] = Math.Round(seconds, 3),
        ["messages_per_s"] = Math.Round(files / seconds, 1),
        ["mb_per_s"] = Math.Round(bytes / 1e6 / seconds, 2),
    };

    /// <summary>This process's peak and current resident memory (kB), from /proc/self/status.</summary>
    private static JsonObject Memory()
    {
        var result = new JsonObject();
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            foreach (var key in new[] { "VmHWM", "VmRSS" })
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                {
                    result[key + "_kb"] = long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        result["gc_heap_bytes"] = GC.GetTotalMemory(forceFullCollection: false);
        result["allocated_bytes"] = GC.GetTotalAllocatedBytes();
        var info = GC.GetGCMemoryInfo();
        result["gc_committed_bytes"] = info.TotalCommittedBytes;
        result["gc_fragmented_bytes"] = info.FragmentedBytes;
        result["collections"] = new JsonArray(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return result;
    }
}
