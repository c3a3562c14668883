using Moat.Pipeline.Filters.Recipients;
using Moat.Pipeline.Filters.Relay;
using Moat.Pipeline.Filters.Sender;
using Moat.Pipeline.Filters.Size;

namespace Moat.Pipeline;

/// <summary>The options of every built-in filter, one section each, for <see cref="FilterCatalog.CreateStandard"/>.</summary>
public sealed class StandardFilterOptions
{
    public RelayControlOptions Relay { get; set; } = new();

    public SenderFilterOptions Sender { get; set; } = new();

    public RecipientDomainOptions RecipientDomains { get; set; } = new();

    public MessageSizeOptions Size { get; set; } = new();
}
