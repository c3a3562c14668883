namespace Moat.Pipeline.Filters.Recipients;

public sealed class RecipientDomainOptions
{
    /// <summary>Outbound mail may go to an address literal such as <c>[192.0.2.1]</c>; by default only to domain names.</summary>
    public bool AllowAddressLiterals { get; set; }
}
