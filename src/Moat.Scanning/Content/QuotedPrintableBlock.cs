namespace Moat.Scanning.Content;

/// <summary>
/// A part body decoded as quoted-printable, leniently and several ways at once (see
/// <see cref="QuotedPrintableReading"/>): clients disagree on broken escapes, lower-case hex, white
/// space after '=', and on whether a hard line break is CRLF or a binary file's bare LF.
/// </summary>
internal sealed class QuotedPrintableBlock : EncodedBlock
{
    private readonly VariantSet _variants = new();

    public QuotedPrintableBlock(WalkSession session, string path)
    {
        foreach (var reading in QuotedPrintableReading.All)
        {
            _variants.Add(new QuotedPrintableDecoder(reading), new DecodingSink(session.CreateSink(path), Base64Block.AlternativeCap, requireMagic: true));
        }
    }

    public override async ValueTask<BlockStep> FeedAsync(string line, CancellationToken cancellationToken)
    {
        await _variants.FeedAsync(line, cancellationToken);
        return BlockStep.Continue;
    }

    public override async ValueTask<IReadOnlyList<DecodedBlock>> FinishAsync(CancellationToken cancellationToken) =>
        await _variants.FinishAsync("quoted-printable", cancellationToken);

    public override ValueTask DisposeAsync() => _variants.DisposeAsync();
}
