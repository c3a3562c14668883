using System.Diagnostics.CodeAnalysis;

namespace Moat.Audit.Targets;

/// <summary>A scope, or every reason the targets were refused (all of them at once, so one run fixes them all).</summary>
public sealed record TargetParseResult(AuditScope? Scope, IReadOnlyList<string> Errors)
{
    [MemberNotNullWhen(true, nameof(Scope))]
    public bool Succeeded => Scope is not null;
}
