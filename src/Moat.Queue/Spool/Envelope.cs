using System.Text.Json.Serialization;

namespace Moat.Queue.Spool;

/// <summary>
/// Everything about a queued message except its content: the SMTP envelope, DSN parameters, where it
/// came from and the delivery state. Stored as a record behind the content in the message's queue
/// file (see <see cref="SpoolRecord"/>); a change of delivery state appends a new record.
/// </summary>
public sealed class Envelope
{
    /// <summary>The queue id; set by the spool at commit.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>MAIL FROM address; empty for the null sender &lt;&gt;.</summary>
    public string Sender { get; set; } = string.Empty;

    public List<EnvelopeRecipient> Recipients { get; set; } = [];

    /// <summary>RFC 3461 RET (FULL or HDRS), if given.</summary>
    public string? Ret { get; set; }

    /// <summary>RFC 3461 ENVID, if given.</summary>
    public string? EnvelopeId { get; set; }

    public string? ClientAddress { get; set; }

    public string? HeloName { get; set; }

    /// <summary>Name of the listener or direction (e.g. "inbound", "submission").</summary>
    public string? Listener { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Content size in bytes; set by the spool at commit.</summary>
    public long Size { get; set; }

    /// <summary>The content has bytes above 127 (needs 8BITMIME); set by the spool at commit.</summary>
    public bool EightBit { get; set; }

    /// <summary>SHA-256 of the content, hex; set by the spool at commit and checked before delivery.</summary>
    public string ContentSha256 { get; set; } = string.Empty;

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    [JsonIgnore]
    public bool IsNullSender => Sender.Length == 0;

    /// <summary>The recipients and the sender (empty for the null sender): the people the message is about, as the access log names them.</summary>
    [JsonIgnore]
    public IEnumerable<string> Addresses => Recipients.Select(r => r.Address).Append(Sender);

    /// <summary>Read from a spool of the format before version 2: the content is a separate file.</summary>
    [JsonIgnore]
    internal bool Legacy { get; set; }
}
