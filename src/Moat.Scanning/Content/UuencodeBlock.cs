namespace Moat.Scanning.Content;

/// <summary>A uuencoded file inside text: "begin 644 name", encoded lines, "`", "end".</summary>
internal sealed class UuencodeBlock : EncodedBlock
{
    private readonly DecodingSink _sink;
    private readonly string? _name;
    private readonly bool _body;

    private UuencodeBlock(DecodingSink sink, string? name, bool body)
    {
        _sink = sink;
        _name = name;
        _body = body;
    }

    /// <summary>
    /// A whole part body read as uuencode lines, for parts whose transfer encoding says uuencode
    /// (x-uue, x-uu, ...) but which lack the begin line: clients decode them anyway.
    /// </summary>
    public static UuencodeBlock ForBody(WalkSession session, string path, string? name) =>
        new(new DecodingSink(session.CreateSink(path), Base64Block.AlternativeCap), name, body: true);

    /// <summary>Starts a block at a "begin MODE NAME" line (clients also take "begin NAME" or a bare "begin").</summary>
    public static UuencodeBlock? TryStart(WalkSession session, string path, string line)
    {
        if (!line.StartsWith("begin", StringComparison.Ordinal) || (line.Length > 5 && line[5] != ' ' && line[5] != '\t'))
        {
            return null;
        }

        var rest = line[5..].Trim();
        var parts = rest.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        string? name = null;
        if (parts.Length == 2 && parts[0].All(char.IsAsciiDigit))
        {
            name = parts[1].Trim();
        }
        else if (parts.Length >= 1 && !parts[0].All(char.IsAsciiDigit))
        {
            name = rest;
        }

        return new UuencodeBlock(new DecodingSink(session.CreateSink(path)), string.IsNullOrEmpty(name) ? null : name, body: false);
    }

    public override async ValueTask<BlockStep> FeedAsync(string line, CancellationToken cancellationToken)
    {
        var trimmed = line.TrimEnd();
        if (trimmed == "end")
        {
            return _body ? BlockStep.Continue : BlockStep.Ended;
        }

        if (trimmed.Length == 0 || trimmed == "`" || (_body && trimmed.StartsWith("begin ", StringComparison.Ordinal)))
        {
            return BlockStep.Continue;
        }

        if (trimmed.Any(c => c < ' ' || c > '`'))
        {
            return _body ? BlockStep.Continue : BlockStep.Rejected;
        }

        var count = (trimmed[0] - ' ') & 63;
        var written = 0;
        for (var i = 1; written < count; i += 4)
        {
            var a = Sextet(trimmed, i);
            var b = Sextet(trimmed, i + 1);
            var c = Sextet(trimmed, i + 2);
            var d = Sextet(trimmed, i + 3);
            byte[] bytes = [(byte)(a << 2 | b >> 4), (byte)(b << 4 | c >> 2), (byte)(c << 6 | d)];
            foreach (var value in bytes)
            {
                if (written++ < count)
                {
                    await _sink.AddAsync(value, cancellationToken);
                }
            }
        }

        return BlockStep.Continue;
    }

    public override async ValueTask<IReadOnlyList<DecodedBlock>> FinishAsync(CancellationToken cancellationToken)
    {
        // A begin line names the file, so the block counts even when its content is unrecognisable.
        return [await _sink.ToBlockAsync("uuencode", _name, named: !_body, cancellationToken)];
    }

    public override ValueTask DisposeAsync() => _sink.DisposeAsync();

    // Missing characters at a short line's end count as zero, as lenient decoders treat them.
    private static int Sextet(string line, int index) => index < line.Length ? (line[index] - ' ') & 63 : 0;
}
