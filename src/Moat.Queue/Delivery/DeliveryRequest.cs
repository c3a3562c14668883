using Moat.Queue.Spool;

namespace Moat.Queue.Delivery;

/// <summary>One message to one destination: the recipients of one domain that share a route.</summary>
/// <param name="Domain">The recipients' domain (lowercase, no trailing dot).</param>
/// <param name="Content">The stored message bytes, read as a stream at send time.</param>
public sealed record DeliveryRequest(
    Envelope Envelope,
    IReadOnlyList<EnvelopeRecipient> Recipients,
    RouteOptions Route,
    string Domain,
    SpoolContent Content);
