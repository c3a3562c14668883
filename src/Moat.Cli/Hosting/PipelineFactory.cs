using Moat.Cli.Configuration;
using Moat.Pipeline;
using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Filters.Size;

namespace Moat.Cli.Hosting;

/// <summary>Turns the configuration into the pipeline's filters, in the configured order.</summary>
internal static class PipelineFactory
{
    public static FilterSelection CreateFilters(MoatOptions options)
    {
        var filterOptions = new StandardFilterOptions
        {
            Relay = new RelayControlOptions
            {
                AcceptedDomains = [.. options.Relay.AcceptedDomains ?? []],
                TrustedNetworks = [.. options.Relay.TrustedNetworks ?? []],
            },
            Size = new MessageSizeOptions { MaxMessageSize = options.Smtp.MaxMessageSize },
        };
        return FilterCatalog.CreateStandard(filterOptions).Create(options.Pipeline.Order ?? []);
    }

    public static Moat.Pipeline.PipelineOptions CreateRunnerOptions(MoatOptions options) =>
        new() { FilterTimeout = options.Pipeline.FilterTimeout };
}
