using Moat.Cli.Configuration;
using Moat.Pipeline;
using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Filters.Sender;
using Moat.Pipeline.Filters.Size;
using Moat.Scanning.Filter;
using Moat.Trust.Filter;

namespace Moat.Cli.Hosting;

/// <summary>Turns the configuration into the pipeline's filters, in the configured order.</summary>
internal static class PipelineFactory
{
    /// <param name="antivirus">The gateway's antivirus engines; null builds throwaway ones (for validation and explain).</param>
    /// <param name="trust">The gateway's trust components; null builds ones that only describe themselves.</param>
    public static FilterSelection CreateFilters(MoatOptions options, AntivirusComponents? antivirus = null, TrustComponents? trust = null)
    {
        var filterOptions = new StandardFilterOptions
        {
            Relay = new RelayControlOptions
            {
                AcceptedDomains = [.. options.Relay.AcceptedDomains ?? []],
                TrustedNetworks = [.. options.Relay.TrustedNetworks ?? []],
            },
            Size = new MessageSizeOptions { MaxMessageSize = options.Smtp.MaxMessageSize },
            Sender = new SenderFilterOptions { AuthenticatedSenders = options.Relay.AuthenticatedSenders },
        };
        return FilterCatalog.CreateStandard(filterOptions)
            .Add(AntivirusFilter.FilterName, () => (antivirus ?? AntivirusComponents.Create(options)).Filter, RelayControlFilter.FilterName)
            .Add(TrustFilter.FilterName, () => (trust ?? TrustComponents.CreateForDescription(options)).Filter, RelayControlFilter.FilterName)
            .Create(options.Pipeline.Order ?? []);
    }

    public static Moat.Pipeline.PipelineOptions CreateRunnerOptions(MoatOptions options) =>
        new() { FilterTimeout = options.Pipeline.FilterTimeout };
}
