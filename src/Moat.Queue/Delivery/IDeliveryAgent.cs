namespace Moat.Queue.Delivery;

/// <summary>Delivers one request and reports a result for every recipient in it. Never throws for a delivery problem.</summary>
public interface IDeliveryAgent
{
    Task<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken);
}
