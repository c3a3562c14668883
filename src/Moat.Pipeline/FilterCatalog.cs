using Moat.Pipeline.Filters.Recipients;
using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Filters.Sender;
using Moat.Pipeline.Filters.Size;

namespace Moat.Pipeline;

/// <summary>
/// Maps the filter names an operator writes in the pipeline order to factories, so the host
/// can build the configured list and report names it does not know as configuration errors.
/// </summary>
public sealed class FilterCatalog
{
    private readonly Dictionary<string, Func<IFilter>> factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> prerequisites = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The order used when the configuration gives none: cheap checks first, and relay before recipient-domains, which relies on the direction relay sets.</summary>
    public static IReadOnlyList<string> DefaultOrder { get; } =
        [MessageSizeFilter.FilterName, SenderFilter.FilterName, RelayControlFilter.FilterName, RecipientDomainFilter.FilterName];

    /// <summary>The known names, sorted.</summary>
    public IReadOnlyList<string> Names => factories.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>A catalog of the built-in filters: size, sender, relay, recipient-domains.</summary>
    public static FilterCatalog CreateStandard(StandardFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Sender and relay must agree on who is trusted and which domains are ours.
        var relayPolicy = new Lazy<RelayPolicy>(() => new RelayPolicy(options.Relay));
        return new FilterCatalog()
            .Add(MessageSizeFilter.FilterName, () => new MessageSizeFilter(options.Size))
            .Add(SenderFilter.FilterName, () => new SenderFilter(options.Sender, relayPolicy.Value))
            .Add(RelayControlFilter.FilterName, () => new RelayControlFilter(relayPolicy.Value))
            .Add(RecipientDomainFilter.FilterName, () => new RecipientDomainFilter(options.RecipientDomains), RelayControlFilter.FilterName);
    }

    /// <param name="prerequisites">Filters that must run earlier in the order, because this one reads what they decide.</param>
    public FilterCatalog Add(string name, Func<IFilter> factory, params string[] prerequisites)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(prerequisites);
        if (!factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"A filter named '{name}' is already in the catalog.", nameof(name));
        }

        this.prerequisites[name] = prerequisites.ToArray();
        return this;
    }

    /// <summary>
    /// Builds the filters named in <paramref name="order"/> (names are case-insensitive). Every
    /// problem is reported, not only the first, so one configuration check shows them all.
    /// </summary>
    public FilterSelection Create(IEnumerable<string> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var filters = new List<IFilter>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var rawName in order)
        {
            var name = rawName?.Trim() ?? string.Empty;
            if (!factories.TryGetValue(name, out var factory))
            {
                errors.Add($"unknown filter '{rawName}' in the pipeline order (known: {string.Join(", ", Names)})");
                continue;
            }

            if (!seen.Add(name))
            {
                errors.Add($"filter '{name}' appears more than once in the pipeline order");
                continue;
            }

            // A filter placed before the one it depends on would silently check nothing.
            foreach (var prerequisite in prerequisites[name].Where(p => !seen.Contains(p)))
            {
                errors.Add($"filter '{name}' needs '{prerequisite}' earlier in the pipeline order");
            }

            try
            {
                filters.Add(factory());
            }
            catch (ArgumentException exception)
            {
                errors.Add($"filter '{name}': {exception.Message}");
            }
        }

        return new FilterSelection(filters, errors);
    }
}
