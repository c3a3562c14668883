namespace Moat.Queue.Delivery;

public enum DeliveryOutcome
{
    /// <summary>2xx: done.</summary>
    Delivered,

    /// <summary>4xx, connection or DNS trouble: try again later.</summary>
    Deferred,

    /// <summary>5xx: give up and tell the sender.</summary>
    Failed,
}
