using System.Diagnostics;

namespace Moat.Scanning.Signatures;

/// <summary>Collects parsed signatures from any number of files, then builds an immutable <see cref="SignatureSet"/>.</summary>
internal sealed class SignatureSetBuilder
{
    /// <summary>Warnings kept word for word; the rest are only counted.</summary>
    private const int MaxWarnings = 100;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<BodyPattern> _patterns = [];
    private readonly List<LogicalSignature> _logical = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _files = [];
    private readonly List<string> _ignored = [];
    private int _bodySignatures;
    private int _skipped;

    public HashSignatureSet Md5 { get; } = new(HashSignatureKind.Md5);

    public HashSignatureSet Sha1 { get; } = new(HashSignatureKind.Sha1);

    public HashSignatureSet Sha256 { get; } = new(HashSignatureKind.Sha256);

    public HashSignatureSet Hashes(HashSignatureKind kind) => kind switch
    {
        HashSignatureKind.Md5 => Md5,
        HashSignatureKind.Sha1 => Sha1,
        _ => Sha256,
    };

    public void AddFile(string fileName) => _files.Add(fileName);

    public void AddIgnoredFile(string fileName) => _ignored.Add(fileName);

    public void AddBody(BodyPattern pattern)
    {
        _patterns.Add(pattern);
        _bodySignatures++;
    }

    /// <summary>Adds a logical signature; <paramref name="subsignatures"/> become body patterns owned by it.</summary>
    public void AddLogical(string name, SignatureTarget target, long minSize, long maxSize, LogicalExpression expression, IReadOnlyList<(PatternElement[] Elements, SignatureOffset Offset)> subsignatures)
    {
        var owner = _logical.Count;
        var indices = new int[subsignatures.Count];
        var countLimit = Math.Max(1, expression.MaxThreshold);
        for (var i = 0; i < subsignatures.Count; i++)
        {
            indices[i] = _patterns.Count;
            _patterns.Add(new BodyPattern($"{name}/subsig {i}", subsignatures[i].Elements, subsignatures[i].Offset, target, countLimit, owner));
        }

        _logical.Add(new LogicalSignature(name, target, minSize, maxSize, expression, indices));
    }

    public void Skip(string fileName, int line, string reason)
    {
        _skipped++;
        if (_warnings.Count < MaxWarnings)
        {
            _warnings.Add($"{fileName}:{line}: skipped: {reason}");
        }
    }

    public SignatureSet Build()
    {
        foreach (var hashes in new[] { Md5, Sha1, Sha256 })
        {
            hashes.TrimExcess();
        }

        var matcher = new BodyMatcher(_patterns);
        var statistics = new SignatureSetStatistics
        {
            Md5Hashes = Md5.Count,
            Sha1Hashes = Sha1.Count,
            Sha256Hashes = Sha256.Count,
            BodySignatures = _bodySignatures,
            LogicalSignatures = _logical.Count,
            BodyPatterns = _patterns.Count,
            SlowPatterns = matcher.SlowPatterns.Length,
            Skipped = _skipped,
            Warnings = [.. _warnings],
            Files = [.. _files],
            IgnoredFiles = [.. _ignored],
            LoadTime = _clock.Elapsed,
            LoadedAt = DateTimeOffset.UtcNow,
        };
        return new SignatureSet([Md5, Sha1, Sha256], matcher, [.. _logical], statistics);
    }
}
