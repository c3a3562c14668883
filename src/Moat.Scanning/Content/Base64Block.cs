namespace Moat.Scanning.Content;

/// <summary>
/// Base64 text decoded every way a client might decode it (<see cref="Base64Variant"/>). Used for
/// runs of base64-looking lines anywhere in a raw message (an attachment that a different reading
/// of broken MIME structure would find) and for whole part bodies whose encoding is mangled.
/// </summary>
internal sealed class Base64Block : EncodedBlock
{
    /// <summary>Alternative decodings stop here; the first (skip-junk) one is bounded only by the walk's limits.</summary>
    public const long AlternativeCap = 8L << 20;

    private readonly VariantSet _variants = new(Base64Decoder.AllVariantsAgree);

    private Base64Block(WalkSession session, string path, BlockMode mode)
    {
        Mode = mode;
        foreach (var variant in Enum.GetValues<Base64Variant>())
        {
            // In a part body MimeKit's decoding is the primary one, so every variant here is an alternative.
            var cap = variant == Base64Variant.SkipJunk && mode != BlockMode.Body ? long.MaxValue : AlternativeCap;
            _variants.Add(new Base64Decoder(variant), new DecodingSink(session.CreateSink(path), cap, requireMagic: true));
        }
    }

    /// <summary>How a block decides where it ends.</summary>
    public enum BlockMode
    {
        /// <summary>Ends at the first line that does not look like base64, a blank one included.</summary>
        Run,

        /// <summary>Like <see cref="Run"/>, but blank lines inside are skipped (headers and body without the blank line between).</summary>
        RunAcrossBlankLines,

        /// <summary>Takes every line: a whole part body.</summary>
        Body,
    }

    public BlockMode Mode { get; }

    public static Base64Block? TryStart(WalkSession session, string path, string line, BlockMode mode) =>
        mode == BlockMode.Body || LooksLikeBase64(line) ? new Base64Block(session, path, mode) : null;

    public static Base64Block ForBody(WalkSession session, string path) => new(session, path, BlockMode.Body);

    /// <summary>Mostly base64 characters and no inner spaces (text has them).</summary>
    public static bool LooksLikeBase64(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length < 4)
        {
            return false;
        }

        var good = 0;
        foreach (var c in trimmed)
        {
            if (Base64Decoder.IsAlphabet(c) || c == '=')
            {
                good++;
            }
            else if (c == ' ')
            {
                return false;
            }
        }

        return good * 10 >= trimmed.Length * 8;
    }

    public override async ValueTask<BlockStep> FeedAsync(string line, CancellationToken cancellationToken)
    {
        if (Mode != BlockMode.Body && !LooksLikeBase64(line))
        {
            return Mode == BlockMode.RunAcrossBlankLines && line.Trim().Length == 0 ? BlockStep.Continue : BlockStep.Rejected;
        }

        await _variants.FeedAsync(line, cancellationToken);
        return BlockStep.Continue;
    }

    public override async ValueTask<IReadOnlyList<DecodedBlock>> FinishAsync(CancellationToken cancellationToken) =>
        await _variants.FinishAsync("base64", cancellationToken);

    public override ValueTask DisposeAsync() => _variants.DisposeAsync();
}
