namespace Moat.Scanning.Content;

/// <summary>A yEnc file inside text: "=ybegin ... name=NAME", optional "=ypart", data lines, "=yend".</summary>
internal sealed class YencBlock : EncodedBlock
{
    private readonly DecodingSink _sink;
    private readonly string? _name;

    private YencBlock(DecodingSink sink, string? name)
    {
        _sink = sink;
        _name = name;
    }

    public static YencBlock? TryStart(WalkSession session, string path, string line)
    {
        if (!line.StartsWith("=ybegin ", StringComparison.Ordinal))
        {
            return null;
        }

        // The name is the rest of the line: it may contain spaces.
        var at = line.IndexOf(" name=", StringComparison.Ordinal);
        var name = at >= 0 ? line[(at + 6)..].Trim() : null;
        return new YencBlock(new DecodingSink(session.CreateSink(path)), string.IsNullOrEmpty(name) ? null : name);
    }

    public override async ValueTask<BlockStep> FeedAsync(string line, CancellationToken cancellationToken)
    {
        if (line.StartsWith("=yend", StringComparison.Ordinal))
        {
            return BlockStep.Ended;
        }

        if (line.StartsWith("=ypart ", StringComparison.Ordinal))
        {
            return BlockStep.Continue;
        }

        for (var i = 0; i < line.Length; i++)
        {
            int value = line[i];
            if (value == '=' && i + 1 < line.Length)
            {
                value = line[++i] - 64;
            }

            await _sink.AddAsync((byte)(value - 42), cancellationToken);
        }

        return BlockStep.Continue;
    }

    public override async ValueTask<IReadOnlyList<DecodedBlock>> FinishAsync(CancellationToken cancellationToken)
    {
        return [await _sink.ToBlockAsync("yEnc", _name, named: true, cancellationToken)];
    }

    public override ValueTask DisposeAsync() => _sink.DisposeAsync();
}
