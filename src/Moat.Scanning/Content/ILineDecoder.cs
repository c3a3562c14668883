namespace Moat.Scanning.Content;

/// <summary>A decoder fed one line at a time; <see cref="VariantSet"/> runs several side by side.</summary>
internal interface ILineDecoder
{
    /// <summary>Decodes <paramref name="line"/>, appending the bytes it yields to <paramref name="output"/>.</summary>
    void Decode(string line, List<byte> output);

    /// <summary>Appends what is still held at the end of the data.</summary>
    void Finish(List<byte> output);

    /// <summary>True when both decoders would treat any further input the same way.</summary>
    bool SameStateAs(ILineDecoder other);

    /// <summary>Takes over the state of <paramref name="other"/> (after a line both would have decoded alike).</summary>
    void CopyStateFrom(ILineDecoder other);
}
