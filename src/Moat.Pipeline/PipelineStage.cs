namespace Moat.Pipeline;

/// <summary>The points of an SMTP session at which the pipeline is asked for a verdict.</summary>
public enum PipelineStage
{
    /// <summary>A client connected, before the greeting.</summary>
    Connect,

    /// <summary>HELO or EHLO.</summary>
    Helo,

    /// <summary>MAIL FROM.</summary>
    Mail,

    /// <summary>Each RCPT TO; the recipient under test is <see cref="TransactionContext.CurrentRecipient"/>.</summary>
    Rcpt,

    /// <summary>The whole message is spooled; the content can be opened with <see cref="TransactionContext.OpenContent"/>.</summary>
    Content,
}
