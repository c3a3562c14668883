using Moat.Queue.Delivery;

namespace Moat.Queue.Manager;

/// <summary>One request on the delivery channel; the worker completes it with the recipients' results.</summary>
internal sealed record DeliveryJob(DeliveryRequest Request, string Destination)
{
    public TaskCompletionSource<IReadOnlyList<RecipientResult>> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
