using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moat.Scanning.Signatures;

namespace Moat.Scanning.Engines;

/// <summary>
/// The built-in antivirus engine: matches every object against the current signature set
/// (ClamAV .hdb/.hsb/.ndb/.ldb databases plus the built-in test database). A reload builds the
/// new set off to the side and swaps one reference: scans never pause (a scan keeps the set it
/// started with), and a load that fails leaves the previous set live.
/// </summary>
public sealed class SignatureEngine : IScanEngine
{
    private readonly ILogger _logger;
    private volatile SignatureEngineStatus _status;

    /// <summary>Starts with <paramref name="initial"/>, or with the built-in database alone (no disk or network needed).</summary>
    public SignatureEngine(SignatureSet? initial = null, ILogger<SignatureEngine>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _status = new SignatureEngineStatus(initial ?? SignatureLoader.LoadBuiltIn(), 1);
    }

    public string Name => "signatures";

    /// <summary>The set scans use now and its version.</summary>
    public SignatureEngineStatus Status => _status;

    public SignatureSet Current => _status.Set;

    /// <summary>The last reload's error, or null when the last reload succeeded (or none was tried).</summary>
    public string? LastReloadError { get; private set; }

    public bool Accepts(ScanObject item) => true;

    public async ValueTask<EngineVerdict> ScanAsync(ScanObject item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        // Read the reference once: a swap during this scan does not affect it.
        var set = _status.Set;
        var stream = await item.Open(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            // The object's declared length is not passed on: for an archive member it comes from
            // the archive's header, which a sender controls, and a false length would let the
            // scan skip hashing. Seekable streams report their real length themselves.
            try
            {
                var threats = await set.ScanAsync(stream, knownLength: null, cancellationToken);
                return threats.Count == 0 ? EngineVerdict.Clean : EngineVerdict.Infected([.. threats]);
            }
            catch (SignatureScanLimitException ex)
            {
                return EngineVerdict.Error(ex.Message);
            }
        }
    }

    /// <summary>Makes <paramref name="set"/> the current set; returns the new status.</summary>
    public SignatureEngineStatus Swap(SignatureSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        while (true)
        {
            var previous = _status;
            var next = new SignatureEngineStatus(set, previous.Version + 1);
            if (Interlocked.CompareExchange(ref _status, next, previous) == previous)
            {
                LastReloadError = null;
                _logger.LogInformation(
                    "Signature set {Version} live: {Total} signatures ({Files}), loaded in {LoadTime} ms",
                    next.Version, set.Statistics.TotalSignatures, string.Join(", ", set.Statistics.Files), (long)set.Statistics.LoadTime.TotalMilliseconds);
                return next;
            }
        }
    }

    /// <summary>
    /// Loads every database in <paramref name="directory"/> (plus the built-in one) on a
    /// background thread and swaps it in. Throws <see cref="SignatureLoadException"/> when a file
    /// is bad; the previous set then stays live.
    /// </summary>
    public async Task<SignatureEngineStatus> ReloadAsync(string directory, CancellationToken cancellationToken)
    {
        SignatureSet set;
        try
        {
            set = await Task.Run(() => SignatureLoader.LoadDirectory(directory, includeBuiltIn: true, _logger, cancellationToken), cancellationToken);
        }
        catch (SignatureLoadException ex)
        {
            LastReloadError = ex.Message;
            _logger.LogError("Signature reload from {Directory} failed, keeping set {Version}: {Error}", directory, _status.Version, ex.Message);
            throw;
        }

        return Swap(set);
    }
}
