namespace Moat.Scanning.Engines;

/// <summary>
/// One antivirus engine. It judges one object at a time; the multi-engine scanner gives it every
/// object the content walker finds, with a per-engine timeout. An engine that cannot decide
/// returns <see cref="EngineVerdict.Error(string)"/> (or throws): never "clean" by default.
/// </summary>
public interface IScanEngine
{
    /// <summary>A short name for configuration, logs and metrics: "signatures", "clamd", "heuristics".</summary>
    string Name { get; }

    /// <summary>Which objects this engine wants (clamd, for example, decodes MIME itself and takes only roots).</summary>
    bool Accepts(ScanObject item);

    ValueTask<EngineVerdict> ScanAsync(ScanObject item, CancellationToken cancellationToken);
}
