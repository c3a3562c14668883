using Moat.Queue.Spool;

namespace Moat.Queue.Delivery;

/// <summary>The outcome for one recipient, with the reply that decided it (e.g. "550 5.1.1 user unknown").</summary>
public sealed record RecipientResult(EnvelopeRecipient Recipient, DeliveryOutcome Outcome, string Reply)
{
    /// <summary>Maps an SMTP reply code to an outcome: 2xx delivered, 5xx failed, anything else deferred.</summary>
    public static DeliveryOutcome OutcomeOf(int code) => code switch
    {
        >= 200 and < 300 => DeliveryOutcome.Delivered,
        >= 500 and < 600 => DeliveryOutcome.Failed,
        _ => DeliveryOutcome.Deferred,
    };
}
