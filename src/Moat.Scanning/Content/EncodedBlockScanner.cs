using System.Runtime.CompilerServices;

namespace Moat.Scanning.Content;

/// <summary>
/// Reads text line by line for encoded files: uuencode, yEnc and BinHex blocks inside text parts,
/// and any run of base64 in a raw message, so an attachment that a client finds through a
/// different reading of broken MIME structure is found here too. Also decodes a single part body
/// every lenient way (<see cref="DecodePartBodyAsync"/>) when its transfer encoding is mangled.
/// </summary>
internal static class EncodedBlockScanner
{
    private static readonly byte[] ZipLocalHeader = "PK\x03\x04"u8.ToArray();

    private static readonly Base64Block.BlockMode[] RunModes = [Base64Block.BlockMode.Run, Base64Block.BlockMode.RunAcrossBlankLines];

    /// <summary>Scans a raw message for encoded content its MIME structure may hide.</summary>
    public static IAsyncEnumerable<ScanObject> SalvageAsync(WalkSession session, ScanObject message, CancellationToken cancellationToken) =>
        ScanAsync(session, message, "raw reading", cancellationToken);

    /// <summary>Scans a text object for uuencoded, yEnc, BinHex and bare base64 blocks.</summary>
    public static IAsyncEnumerable<ScanObject> ExpandTextAsync(WalkSession session, ScanObject text, CancellationToken cancellationToken) =>
        ScanAsync(session, text, "block", cancellationToken);

    /// <summary>
    /// Decodes one part's raw body as base64, quoted-printable, uuencode and BinHex, each leniently,
    /// and keeps the results that are recognisable files MimeKit's own decoding did not produce.
    /// </summary>
    public static async ValueTask<List<ScanObject>> DecodePartBodyAsync(
        WalkSession session, Stream rawBody, ScanObject part, string? transferEncoding, CancellationToken cancellationToken)
    {
        var path = part.Path + " [other decoding]";
        var encoding = transferEncoding?.ToLowerInvariant() ?? "";
        var blocks = new List<EncodedBlock> { Base64Block.ForBody(session, path), new QuotedPrintableBlock(session, path) };
        if (encoding.Contains("uu", StringComparison.Ordinal))
        {
            blocks.Add(UuencodeBlock.ForBody(session, path, part.FileName));
        }

        if (encoding.Contains("binhex", StringComparison.Ordinal))
        {
            blocks.Add(BinHexBlock.ForBody(session, path));
        }

        var found = new List<ScanObject>();
        try
        {
            using var reader = new BoundedLineReader(rawBody);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                foreach (var block in blocks)
                {
                    await block.FeedAsync(line, cancellationToken);
                }
            }

            foreach (var block in blocks)
            {
                found.AddRange(Keep(session, await block.FinishAsync(cancellationToken), path, part.FileName, part.DeclaredContentType, part.Depth));
            }
        }
        finally
        {
            foreach (var block in blocks)
            {
                await block.DisposeAsync();
            }
        }

        return found;
    }

    private static async IAsyncEnumerable<ScanObject> ScanAsync(
        WalkSession session, ScanObject item, string label, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await item.Open(cancellationToken);
        using var reader = new BoundedLineReader(stream);
        var active = new List<(EncodedBlock Block, int Line)>();
        var lineNumber = 0;
        try
        {
            while (!session.Stopped && await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                var consumed = false;
                // By index, not over a copy of the list (this runs for every line of every raw message).
                for (var i = 0; i < active.Count;)
                {
                    var (block, startLine) = active[i];
                    var step = await block.FeedAsync(line, cancellationToken);
                    if (step == BlockStep.Continue)
                    {
                        consumed |= block is not Base64Block;
                        i++;
                        continue;
                    }

                    active.RemoveAt(i);
                    consumed |= step == BlockStep.Ended;
                    foreach (var found in await FinishAsync(session, item, block, label, startLine, cancellationToken))
                    {
                        yield return found;
                    }
                }

                if (consumed || HasNamedBlock(active))
                {
                    continue;
                }

                var path = $"{item.Path} › {label} at line {lineNumber}";
                var named = (EncodedBlock?)UuencodeBlock.TryStart(session, path, line)
                    ?? (EncodedBlock?)YencBlock.TryStart(session, path, line)
                    ?? BinHexBlock.TryStart(session, path, line);
                if (named is not null)
                {
                    active.Add((named, lineNumber));
                    continue;
                }

                if (!Base64Block.LooksLikeBase64(line))
                {
                    continue;
                }

                // Two readings of a base64 run: one ends at a blank line, one reads on past it.
                foreach (var mode in RunModes)
                {
                    if (!HasBase64Block(active, mode))
                    {
                        var block = Base64Block.TryStart(session, path, line, mode)!;
                        await block.FeedAsync(line, cancellationToken);
                        active.Add((block, lineNumber));
                    }
                }
            }

            foreach (var (block, startLine) in active.ToList())
            {
                active.Remove((block, startLine));
                foreach (var found in await FinishAsync(session, item, block, label, startLine, cancellationToken))
                {
                    yield return found;
                }
            }
        }
        finally
        {
            foreach (var (block, _) in active)
            {
                await block.DisposeAsync();
            }
        }
    }

    private static bool HasNamedBlock(List<(EncodedBlock Block, int Line)> active)
    {
        foreach (var (block, _) in active)
        {
            if (block is not Base64Block)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasBase64Block(List<(EncodedBlock Block, int Line)> active, Base64Block.BlockMode mode)
    {
        foreach (var (block, _) in active)
        {
            if (block is Base64Block b && b.Mode == mode)
            {
                return true;
            }
        }

        return false;
    }

    private static async ValueTask<List<ScanObject>> FinishAsync(
        WalkSession session, ScanObject item, EncodedBlock block, string label, int line, CancellationToken cancellationToken)
    {
        await using (block)
        {
            var path = $"{item.Path} › {label} at line {line}";
            return Keep(session, await block.FinishAsync(cancellationToken), path, null, null, item.Depth + 1);
        }
    }

    /// <summary>
    /// Keeps the decodings worth scanning: named blocks, and unnamed ones that are recognisable files
    /// (a zip behind a few bytes of junk is cut out); each distinct content once per walk.
    /// </summary>
    private static List<ScanObject> Keep(
        WalkSession session, IReadOnlyList<DecodedBlock> blocks, string path, string? fileName, string? declaredType, int depth)
    {
        var kept = new List<ScanObject>();
        foreach (var decoded in blocks)
        {
            var content = decoded.Copy.Content;
            var kind = decoded.Kind;
            if (!decoded.Named && !decoded.Abandoned && kind == FileKind.Unknown && content.Memory is { } memory)
            {
                var at = memory.Span.IndexOf(ZipLocalHeader);
                if (at > 0)
                {
                    content = content.Slice(at);
                    kind = FileKind.Zip;
                }
            }

            var hash = content == decoded.Copy.Content
                ? decoded.Copy.Hash
                : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content.Memory!.Value.Span));
            if (content.Length == 0 || decoded.Abandoned || (!decoded.Named && kind == FileKind.Unknown) || !session.IsNewContent(hash))
            {
                continue;
            }

            var name = decoded.FileName ?? fileName;
            var objectPath = $"{path} ({decoded.Encoding}{(name is null ? "" : ", " + name)})";
            kept.Add(new ScanObject(objectPath, ScanObjectKind.MimePart, content.OpenAsync)
            {
                FileName = name,
                DeclaredContentType = declaredType,
                Length = content.Length,
                Depth = depth,
            });
        }

        return kept;
    }
}
