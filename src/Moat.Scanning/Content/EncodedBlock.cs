namespace Moat.Scanning.Content;

/// <summary>A block of encoded text inside a message or text part, decoded line by line as it is read.</summary>
internal abstract class EncodedBlock : IAsyncDisposable
{
    public abstract ValueTask<BlockStep> FeedAsync(string line, CancellationToken cancellationToken);

    public abstract ValueTask<IReadOnlyList<DecodedBlock>> FinishAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
