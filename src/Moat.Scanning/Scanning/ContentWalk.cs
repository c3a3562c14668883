using Moat.Scanning.Content;

namespace Moat.Scanning.Scanning;

/// <summary>The shape of <see cref="ContentWalker.WalkAsync"/>, so the aggregation logic can be tested with a scripted walk.</summary>
internal delegate IAsyncEnumerable<ScanObject> ContentWalk(ScanObject root, ICollection<LimitViolation> violations, CancellationToken cancellationToken);
