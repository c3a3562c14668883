namespace Moat.Scanning.Content;

/// <summary>
/// Several readings of the same encoded text. The first is the primary; the others shadow it and
/// write nothing while they decode every line to the same bytes (the common case: clean text; on a
/// clean base64 line they need not even decode it when their state matches the primary's), and
/// start their own output (from a copy of the primary's) at the first line where they differ. So a
/// clean 20 MB attachment costs one written copy, not one per reading.
/// </summary>
internal sealed class VariantSet : IAsyncDisposable
{
    private readonly List<Variant> _variants = [];
    private readonly Func<ILineDecoder, string, bool>? _allAgreeOn;
    private bool _finished;

    /// <param name="allAgreeOn">
    /// Tells, from the primary decoder and a line, that every decoder in the primary's state decodes
    /// the line the same way (clean base64): shadowing decoders then skip it instead of decoding it.
    /// </param>
    public VariantSet(Func<ILineDecoder, string, bool>? allAgreeOn = null) => _allAgreeOn = allAgreeOn;

    public void Add(ILineDecoder decoder, DecodingSink sink) => _variants.Add(new Variant(decoder, sink, Shadowing: _variants.Count > 0));

    public async ValueTask FeedAsync(string line, CancellationToken cancellationToken)
    {
        // Once every reading has given up (no magic, over the cap), the rest of the text is not worth decoding.
        if (_finished || AllGaveUp())
        {
            _finished = true;
            return;
        }

        var primary = _variants[0];
        var agreed = _allAgreeOn is not null && _allAgreeOn(primary.Decoder, line);
        foreach (var variant in _variants)
        {
            variant.Scratch.Clear();
            if (agreed && variant.Shadowing && variant.Decoder.SameStateAs(primary.Decoder))
            {
                // Same state, same line, same bytes: the decoder's state after it is the primary's too.
                variant.SkippedLine = true;
                continue;
            }

            variant.Decoder.Decode(line, variant.Scratch);
        }

        await CommitAsync(cancellationToken);
    }

    /// <summary>Ends the data and returns the primary decoding plus every one that differs from it.</summary>
    public async ValueTask<List<DecodedBlock>> FinishAsync(string encoding, CancellationToken cancellationToken)
    {
        foreach (var variant in _variants)
        {
            variant.Scratch.Clear();
            variant.Decoder.Finish(variant.Scratch);
        }

        await CommitAsync(cancellationToken);
        var blocks = new List<DecodedBlock>();
        foreach (var variant in _variants.Where(v => !v.Shadowing))
        {
            blocks.Add(await variant.Sink.ToBlockAsync(encoding, null, named: false, cancellationToken));
        }

        return blocks;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var variant in _variants)
        {
            await variant.Sink.DisposeAsync();
        }
    }

    private async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var primary = _variants[0];

        // Alternatives first: one that parts ways copies the primary's bytes from before this line.
        // Loops by index, without LINQ: this runs for every line of every encoded body.
        for (var i = 1; i < _variants.Count; i++)
        {
            var variant = _variants[i];
            if (variant.Shadowing)
            {
                if (variant.SkippedLine)
                {
                    variant.SkippedLine = false;
                    variant.Decoder.CopyStateFrom(primary.Decoder);
                    continue;
                }

                // Same bytes so far is all shadowing needs; a different state only means this reading decodes its own lines.
                if (variant.Scratch.SequenceEqual(primary.Scratch))
                {
                    continue;
                }

                variant.Shadowing = false;
                await variant.Sink.CopyPrefixFromAsync(primary.Sink, cancellationToken);
            }

            await variant.Sink.AddRangeAsync(variant.Scratch, cancellationToken);
        }

        await primary.Sink.AddRangeAsync(primary.Scratch, cancellationToken);
    }

    private bool AllGaveUp()
    {
        foreach (var variant in _variants)
        {
            if (!(variant.Sink.Abandoned || (variant.Shadowing && _variants[0].Sink.Abandoned)))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Variant(ILineDecoder Decoder, DecodingSink Sink, bool Shadowing)
    {
        public bool Shadowing { get; set; } = Shadowing;

        public bool SkippedLine { get; set; }

        public List<byte> Scratch { get; } = [];
    }
}
