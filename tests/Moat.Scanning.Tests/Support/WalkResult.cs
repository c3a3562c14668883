using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Support;

internal sealed record WalkResult(IReadOnlyList<WalkedObject> Objects, IReadOnlyList<LimitViolation> Violations)
{
    public bool AnyContains(byte[] needle) => Objects.Any(o => o.Contains(needle));

    public bool HasViolation(string limit) => Violations.Any(v => v.Limit == limit);

    public IEnumerable<WalkedObject> Named(string fileName) => Objects.Where(o => o.Item.FileName == fileName);
}
