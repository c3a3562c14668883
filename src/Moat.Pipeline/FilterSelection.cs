namespace Moat.Pipeline;

/// <summary>The filters built from a configured order, and what was wrong with the configuration.</summary>
/// <param name="Errors">Configuration errors (unknown or repeated names, invalid filter options); empty when all is well.</param>
public sealed record FilterSelection(IReadOnlyList<IFilter> Filters, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
