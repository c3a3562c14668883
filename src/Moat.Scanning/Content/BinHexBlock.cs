namespace Moat.Scanning.Content;

/// <summary>
/// A BinHex 4.0 file ("(This file must be converted with BinHex 4.0)", then ':' data ':'): 6-bit
/// characters, run-length coding with 0x90, a header with the file name, then the data fork.
/// </summary>
internal sealed class BinHexBlock : EncodedBlock
{
    private const string Alphabet = "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr";
    private const int MaxEncodedChars = 16 << 20;

    private readonly WalkSession _session;
    private readonly string _path;
    private readonly System.Text.StringBuilder _encoded = new();
    private readonly bool _body;
    private bool _started;

    private BinHexBlock(WalkSession session, string path, bool body)
    {
        _session = session;
        _path = path;
        _body = body;
    }

    /// <summary>A whole part body read as BinHex, with or without the introduction line.</summary>
    public static BinHexBlock ForBody(WalkSession session, string path) => new(session, path, body: true);

    public static BinHexBlock? TryStart(WalkSession session, string path, string line) =>
        line.TrimStart().StartsWith("(This file must be converted with BinHex", StringComparison.OrdinalIgnoreCase)
            ? new BinHexBlock(session, path, body: false)
            : null;

    public override ValueTask<BlockStep> FeedAsync(string line, CancellationToken cancellationToken)
    {
        foreach (var c in line)
        {
            if (!_started)
            {
                _started = c == ':';
                continue;
            }

            if (c == ':')
            {
                return ValueTask.FromResult(BlockStep.Ended);
            }

            if (Alphabet.Contains(c, StringComparison.Ordinal))
            {
                _encoded.Append(c);
            }
        }

        if (_encoded.Length > MaxEncodedChars)
        {
            return ValueTask.FromResult(BlockStep.Ended);
        }

        return ValueTask.FromResult(_body || _started || line.Trim().Length == 0 ? BlockStep.Continue : BlockStep.Rejected);
    }

    public override async ValueTask<IReadOnlyList<DecodedBlock>> FinishAsync(CancellationToken cancellationToken)
    {
        var bytes = Expand(Unpack(_encoded.ToString()));
        if (bytes.Count < 22 || !_started)
        {
            return [];
        }

        // Header: name length, name, version, type(4), creator(4), flags(2), data length(4), resource length(4), CRC(2).
        int nameLength = bytes[0];
        var at = 1 + nameLength + 1 + 4 + 4 + 2;
        if (at + 10 > bytes.Count)
        {
            return [];
        }

        var name = new string(bytes.Skip(1).Take(nameLength).Select(b => (char)b).ToArray());
        var dataLength = bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3];
        var start = at + 4 + 4 + 2;
        var available = Math.Max(0, Math.Min(dataLength, bytes.Count - start));
        await using var sink = new DecodingSink(_session.CreateSink(_path));
        for (var i = 0; i < available; i++)
        {
            await sink.AddAsync(bytes[start + i], cancellationToken);
        }

        return [await sink.ToBlockAsync("binhex", name.Length > 0 ? name : null, named: true, cancellationToken)];
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static List<byte> Unpack(string encoded)
    {
        var bytes = new List<byte>(encoded.Length * 3 / 4);
        int bits = 0, count = 0;
        foreach (var c in encoded)
        {
            bits = bits << 6 | Alphabet.IndexOf(c, StringComparison.Ordinal);
            count += 6;
            if (count >= 8)
            {
                count -= 8;
                bytes.Add((byte)(bits >> count));
                bits &= (1 << count) - 1;
            }
        }

        return bytes;
    }

    private static List<byte> Expand(List<byte> packed)
    {
        // 0x90 n repeats the previous byte n-1 more times; 0x90 0 is a literal 0x90.
        var output = new List<byte>(packed.Count);
        for (var i = 0; i < packed.Count; i++)
        {
            if (packed[i] != 0x90 || i + 1 >= packed.Count)
            {
                output.Add(packed[i]);
                continue;
            }

            var repeat = packed[++i];
            if (repeat == 0)
            {
                output.Add(0x90);
            }
            else if (output.Count > 0)
            {
                var previous = output[^1];
                for (var r = 1; r < repeat; r++)
                {
                    output.Add(previous);
                }
            }
        }

        return output;
    }
}
