using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Moat.Scanning.Content;

/// <summary>
/// Finds every object inside a message or file: MIME parts decoded the way mail clients decode
/// them (and the other way too, where clients disagree), nested messages, uuencoded and yEnc
/// blocks, archive members. Bounded by <see cref="ScanLimits"/>; objects it cuts short are still
/// yielded with what could be read, and the reason lands in the violations list.
/// </summary>
public sealed class ContentWalker
{
    private readonly ScanLimits _limits;
    private readonly ILogger? _logger;

    public ContentWalker(ScanLimits limits, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _logger = logger;
    }

    /// <summary>
    /// Yields the root itself first, then every decoded object below it, depth-first. Never throws
    /// for bad input. Objects yielded may live in temp files that are deleted when the walk ends
    /// (the enumeration completes or is disposed), so scan each object as it comes.
    /// </summary>
    public async IAsyncEnumerable<ScanObject> WalkAsync(
        ScanObject root, ICollection<LimitViolation> violations, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(violations);
        await using var session = new WalkSession(_limits, violations, _logger, root.Length);
        await foreach (var item in WalkNodeAsync(session, root, cancellationToken))
        {
            yield return item;
        }
    }

    private async IAsyncEnumerable<ScanObject> WalkNodeAsync(
        WalkSession session, ScanObject item, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!session.TryAddObject(item.Path))
        {
            yield break;
        }

        yield return item;
        if (item.IsEncrypted || session.Stopped)
        {
            yield break;
        }

        // The same decoded bytes under another name (see FileNameCandidates) are scanned again but not expanded again.
        if (item.Open.Target is SpooledContent content && !session.TryMarkExpanded(content))
        {
            yield break;
        }

        var container = await ClassifyAsync(session, item, cancellationToken);
        if (container == ContainerKind.None)
        {
            yield break;
        }

        if (item.Depth >= _limits.MaxDepth)
        {
            session.AddViolation(LimitNames.Depth, item.Path, $"nested deeper than {_limits.MaxDepth} levels");
            yield break;
        }

        var children = container switch
        {
            ContainerKind.Message => MimeExpander.ExpandMessageAsync(session, item, cancellationToken),
            ContainerKind.Mbox => MimeExpander.ExpandMboxAsync(session, item, cancellationToken),
            ContainerKind.Archive => ArchiveExpander.ExpandAsync(session, item, cancellationToken),
            _ => EncodedBlockScanner.ExpandTextAsync(session, item, cancellationToken),
        };

        await using var enumerator = children.GetAsyncEnumerator(cancellationToken);
        while (!session.Stopped)
        {
            ScanObject child;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    break;
                }

                child = enumerator.Current;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Expanders handle damage themselves; this is the last line so one bad object never ends the walk.
                var limit = container == ContainerKind.Archive ? LimitNames.DamagedArchive : LimitNames.DamagedMessage;
                session.AddViolation(limit, item.Path, ex.Message);
                break;
            }

            await foreach (var descendant in WalkNodeAsync(session, child, cancellationToken))
            {
                yield return descendant;
            }
        }
    }

    private static async ValueTask<ContainerKind> ClassifyAsync(WalkSession session, ScanObject item, CancellationToken cancellationToken)
    {
        try
        {
            var head = await FileMagic.ReadHeadAsync(item, cancellationToken);
            return ContentClassifier.Classify(item, head);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            session.AddViolation(LimitNames.DamagedMessage, item.Path, "cannot read: " + ex.Message);
            return ContainerKind.None;
        }
    }
}
