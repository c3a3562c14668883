using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Scanning.Engines;
using Moat.Scanning.Signatures;

namespace Moat.Scanning.Updates;

/// <summary>
/// Fetches signature databases from a source (http(s) URL or folder) that publishes a
/// manifest.sha256 next to the files. An update downloads into a staging folder, checks every
/// file's SHA-256 against the manifest, loads the candidate set completely, and only then moves
/// the current files to previous/, installs the new ones and swaps the engine's set. Any failure
/// before that point leaves disk and engine as they were. Nothing here is needed to start: the
/// engine runs on the built-in database and whatever is already on disk.
/// Operations of one service instance run one at a time; separate processes (the CLI while the
/// server runs) are not coordinated beyond each step being a file move.
/// </summary>
public sealed class SignatureUpdateService : IDisposable
{
    public const string PreviousFolder = "previous";
    public const string StatusFileName = "update-status.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    private readonly SignatureUpdateOptions _options;
    private readonly SignatureEngine? _engine;
    private readonly HttpClient? _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SignatureUpdateService(SignatureUpdateOptions options, SignatureEngine? engine = null, HttpClient? httpClient = null, ILogger<SignatureUpdateService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabaseDirectory);
        if (options.Interval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The update interval must be positive (or null for manual updates only).");
        }

        _options = options;
        _engine = engine;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (IsHttp(options.Source))
        {
            _http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            _ownsHttp = httpClient is null;
        }
    }

    private string PreviousDirectory => Path.Combine(_options.DatabaseDirectory, PreviousFolder);

    /// <summary>The installed files, the previous set, the engine's live set and the last attempt (read from the signature folder).</summary>
    public SignatureUpdateStatus Status
    {
        get
        {
            var manifest = Path.Combine(_options.DatabaseDirectory, SignatureManifest.FileName);
            return new SignatureUpdateStatus
            {
                Files = DatabaseFiles(_options.DatabaseDirectory).Select(Path.GetFileName).ToArray()!,
                InstalledAt = File.Exists(manifest) ? File.GetLastWriteTimeUtc(manifest) : null,
                PreviousFiles = DatabaseFiles(PreviousDirectory).Select(Path.GetFileName).ToArray()!,
                Live = _engine?.Status.Statistics,
                LastAttempt = ReadLastAttempt(),
                Source = _options.Source,
                Interval = _options.Interval,
            };
        }
    }

    /// <summary>
    /// Updates once at once (a fresh installation should not wait a whole interval), then every
    /// <see cref="SignatureUpdateOptions.Interval"/> until cancelled. Returns at once when updates
    /// are manual only. A failed attempt is logged and recorded; the schedule goes on.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_options.Interval is not { } interval || _options.Source is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                await UpdateAsync(cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>Fetches, verifies, loads and installs the source's files. Never throws for a bad source: the result says what went wrong.</summary>
    public async Task<SignatureUpdateResult> UpdateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await TryUpdateAsync(cancellationToken);
            Record(result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reinstates the files in previous/ (and keeps the replaced ones there, so a second rollback undoes the first).</summary>
    public async Task<SignatureUpdateResult> RollbackAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await TryRollbackAsync(cancellationToken);
            Record(result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http?.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<SignatureUpdateResult> TryUpdateAsync(CancellationToken cancellationToken)
    {
        var source = _options.Source;
        if (string.IsNullOrWhiteSpace(source))
        {
            return Failed("no update source is configured");
        }

        string manifestText;
        IReadOnlyList<SignatureManifestEntry> entries;
        try
        {
            manifestText = await ReadManifestAsync(source, cancellationToken);
            entries = SignatureManifest.Parse(manifestText);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException or FormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failed($"cannot read {SignatureManifest.FileName} from {source}: {ex.Message}");
        }

        Directory.CreateDirectory(_options.DatabaseDirectory);
        var installedManifest = Path.Combine(_options.DatabaseDirectory, SignatureManifest.FileName);
        if (File.Exists(installedManifest) && File.ReadAllText(installedManifest) == manifestText
            && entries.All(e => File.Exists(Path.Combine(_options.DatabaseDirectory, e.FileName))))
        {
            return new SignatureUpdateResult(SignatureUpdateOutcome.UpToDate, $"{source} offers the installed files", DateTimeOffset.UtcNow, [.. entries.Select(e => e.FileName)]);
        }

        var staging = Path.Combine(_options.DatabaseDirectory, ".staging-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var entry in entries)
            {
                var problem = await DownloadAsync(source, entry, Path.Combine(staging, entry.FileName), cancellationToken);
                if (problem is not null)
                {
                    return Failed(problem);
                }
            }

            await File.WriteAllTextAsync(Path.Combine(staging, SignatureManifest.FileName), manifestText, cancellationToken);

            SignatureSet candidate;
            try
            {
                candidate = await Task.Run(() => SignatureLoader.LoadDirectory(staging, includeBuiltIn: true, _logger, cancellationToken), cancellationToken);
            }
            catch (SignatureLoadException ex)
            {
                return Failed("the new files do not load: " + ex.Message);
            }

            Install(staging);
            _engine?.Swap(candidate);
            var files = entries.Select(e => e.FileName).ToArray();
            return new SignatureUpdateResult(
                SignatureUpdateOutcome.Updated,
                $"installed {files.Length} file{(files.Length == 1 ? string.Empty : "s")} ({candidate.Statistics.TotalSignatures} signatures) from {source}",
                DateTimeOffset.UtcNow,
                files);
        }
        finally
        {
            TryDeleteDirectory(staging);
        }
    }

    private async Task<SignatureUpdateResult> TryRollbackAsync(CancellationToken cancellationToken)
    {
        var previous = DatabaseFiles(PreviousDirectory);
        if (previous.Count == 0)
        {
            return Failed($"there is no previous set in {PreviousDirectory}");
        }

        SignatureSet candidate;
        try
        {
            candidate = await Task.Run(() => SignatureLoader.LoadDirectory(PreviousDirectory, includeBuiltIn: true, _logger, cancellationToken), cancellationToken);
        }
        catch (SignatureLoadException ex)
        {
            return Failed("the previous files do not load: " + ex.Message);
        }

        // current → .rollback, previous → current, .rollback → previous.
        var parking = Path.Combine(_options.DatabaseDirectory, ".rollback-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(parking);
        MoveSetFiles(_options.DatabaseDirectory, parking);
        MoveSetFiles(PreviousDirectory, _options.DatabaseDirectory);
        MoveSetFiles(parking, PreviousDirectory);
        TryDeleteDirectory(parking);
        _engine?.Swap(candidate);
        var files = previous.Select(Path.GetFileName).ToArray();
        return new SignatureUpdateResult(SignatureUpdateOutcome.RolledBack, $"reinstated {files.Length} previous file{(files.Length == 1 ? string.Empty : "s")}", DateTimeOffset.UtcNow, files!);
    }

    private async Task<string> ReadManifestAsync(string source, CancellationToken cancellationToken)
    {
        if (_http is not null)
        {
            return await _http.GetStringAsync(new Uri(BaseUri(source), SignatureManifest.FileName), cancellationToken);
        }

        return await File.ReadAllTextAsync(Path.Combine(source, SignatureManifest.FileName), cancellationToken);
    }

    /// <summary>Copies one file into staging while hashing it; returns what is wrong, or null.</summary>
    private async Task<string?> DownloadAsync(string source, SignatureManifestEntry entry, string target, CancellationToken cancellationToken)
    {
        try
        {
            await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            HttpResponseMessage? response = null;
            try
            {
                Stream input;
                if (_http is not null)
                {
                    response = await _http.GetAsync(new Uri(BaseUri(source), Uri.EscapeDataString(entry.FileName)), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    response.EnsureSuccessStatusCode();
                    input = await response.Content.ReadAsStreamAsync(cancellationToken);
                }
                else
                {
                    input = new FileStream(Path.Combine(source, entry.FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                }

                await using (input)
                {
                    var buffer = new byte[1 << 16];
                    long total = 0;
                    int read;
                    while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        total += read;
                        if (total > _options.MaxFileSize)
                        {
                            return $"{entry.FileName} is larger than the {_options.MaxFileSize}-byte limit";
                        }

                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
            }
            finally
            {
                response?.Dispose();
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            return actual == entry.Sha256 ? null : $"{entry.FileName}: SHA-256 is {actual} but {SignatureManifest.FileName} says {entry.Sha256}; update rejected";
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"cannot fetch {entry.FileName} from {source}: {ex.Message}";
        }
    }

    /// <summary>current → previous/ (replacing the older previous set), staging → current.</summary>
    private void Install(string staging)
    {
        TryDeleteDirectory(PreviousDirectory);
        Directory.CreateDirectory(PreviousDirectory);
        MoveSetFiles(_options.DatabaseDirectory, PreviousDirectory);
        MoveSetFiles(staging, _options.DatabaseDirectory);
    }

    private static void MoveSetFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var path in DatabaseFiles(from).Append(Path.Combine(from, SignatureManifest.FileName)).Where(File.Exists))
        {
            File.Move(path, Path.Combine(to, Path.GetFileName(path)), overwrite: true);
        }
    }

    private static List<string> DatabaseFiles(string directory) => Directory.Exists(directory)
        ? [.. Directory.EnumerateFiles(directory).Where(f => SignatureLoader.IsDatabaseFile(f)).Order(StringComparer.Ordinal)]
        : [];

    private static SignatureUpdateResult Failed(string message) => new(SignatureUpdateOutcome.Failed, message, DateTimeOffset.UtcNow, []);

    private void Record(SignatureUpdateResult result)
    {
        if (result.Succeeded)
        {
            _logger.LogInformation("Signature {Outcome}: {Message}", result.Outcome, result.Message);
        }
        else
        {
            _logger.LogError("Signature update failed, the current set stays live: {Message}", result.Message);
        }

        try
        {
            Directory.CreateDirectory(_options.DatabaseDirectory);
            var path = Path.Combine(_options.DatabaseDirectory, StatusFileName);
            File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(result, JsonOptions));
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (IOException ex)
        {
            _logger.LogWarning("Cannot record the signature update status: {Error}", ex.Message);
        }
    }

    private SignatureUpdateResult? ReadLastAttempt()
    {
        var path = Path.Combine(_options.DatabaseDirectory, StatusFileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SignatureUpdateResult>(File.ReadAllText(path), JsonOptions) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private static bool IsHttp(string? source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static Uri BaseUri(string source) => new(source.EndsWith('/') ? source : source + "/");

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next run: only files directly in the signature folder are ever loaded, never subfolders.
        }
    }
}
