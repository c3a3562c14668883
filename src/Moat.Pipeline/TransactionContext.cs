using System.Net;
using Moat.Smtp.Protocol;

namespace Moat.Pipeline;

/// <summary>
/// What the filters know about one session and its current transaction. The session handler
/// fills in the facts as the dialogue goes on; filters read them, add evidence and (relay
/// control only) set the direction. One instance lives as long as the connection;
/// <see cref="Reset"/> starts the next transaction.
/// </summary>
public sealed class TransactionContext
{
    private readonly List<RcptToRequest> recipients = [];
    private readonly List<Evidence> evidence = [];
    private readonly List<KeyValuePair<string, string>> addedHeaders = [];

    // A filter that overran its time may still be running and adding evidence while the
    // session goes on, so the evidence list is shared between threads.
    private readonly Lock evidenceLock = new();

    public TransactionContext(IPAddress clientAddress, string listenerName, ListenerRole listenerRole)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        ArgumentException.ThrowIfNullOrEmpty(listenerName);

        // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; policy must see the IPv4 address.
        ClientAddress = clientAddress.IsIPv4MappedToIPv6 ? clientAddress.MapToIPv4() : clientAddress;
        ListenerName = listenerName;
        ListenerRole = listenerRole;
    }

    public IPAddress ClientAddress { get; }

    /// <summary>The configured name of the listener that accepted the connection.</summary>
    public string ListenerName { get; }

    public ListenerRole ListenerRole { get; }

    /// <summary>The name given with HELO or EHLO, or null before it.</summary>
    public string? HeloName { get; set; }

    /// <summary>TLS is active (STARTTLS completed or implicit TLS).</summary>
    public bool IsSecure { get; set; }

    /// <summary>The authenticated user name, or null when the client has not authenticated.</summary>
    public string? AuthenticatedUser { get; set; }

    /// <summary>The MAIL FROM of the current transaction; set before the Mail stage runs.</summary>
    public MailFromRequest? MailFrom { get; set; }

    /// <summary>The recipients accepted so far, in order (the one being checked is not among them).</summary>
    public IReadOnlyList<RcptToRequest> Recipients => recipients;

    /// <summary>The recipient being checked at the Rcpt stage; null at the other stages.</summary>
    public RcptToRequest? CurrentRecipient { get; set; }

    /// <summary>The size in bytes of the spooled message; set before the Content stage runs.</summary>
    public long? MessageSize { get; set; }

    /// <summary>Opens the spooled message for reading (one new stream per call); set before the Content stage runs.</summary>
    public Func<CancellationToken, ValueTask<Stream>>? OpenContent { get; set; }

    /// <summary>Which way the mail flows; null until relay control has decided.</summary>
    public MailDirection? Direction { get; set; }

    /// <summary>A snapshot of the evidence added so far, in order.</summary>
    public IReadOnlyList<Evidence> Evidence
    {
        get
        {
            lock (evidenceLock)
            {
                return evidence.ToArray();
            }
        }
    }

    /// <summary>Header fields filters asked to add to the accepted message (for example a virus tag), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AddedHeaders => addedHeaders;

    /// <summary>
    /// Asks for a header field on the message when it is accepted. Only the session handler
    /// writes the message; a filter never touches the content itself.
    /// </summary>
    public void AddHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Any(c => c is <= ' ' or ':' or > '~') || value.Any(c => c is '\r' or '\n'))
        {
            throw new ArgumentException($"'{name}: {value}' is not a single header field.", nameof(name));
        }

        addedHeaders.Add(new(name, value));
    }

    public void AddEvidence(string filter, PipelineStage stage, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        ArgumentException.ThrowIfNullOrEmpty(text);
        lock (evidenceLock)
        {
            evidence.Add(new Evidence(filter, stage, text));
        }
    }

    /// <summary>Records a recipient the pipeline accepted, so later checks see it.</summary>
    public void AddRecipient(RcptToRequest recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        recipients.Add(recipient);
    }

    /// <summary>
    /// Forgets the transaction (RSET, a new HELO/EHLO, or after DATA). Session facts and the
    /// evidence gathered at Connect and Helo stay, because they describe the connection.
    /// </summary>
    public void Reset()
    {
        MailFrom = null;
        recipients.Clear();
        CurrentRecipient = null;
        MessageSize = null;
        OpenContent = null;
        Direction = null;
        addedHeaders.Clear();
        lock (evidenceLock)
        {
            evidence.RemoveAll(e => e.Stage is not (PipelineStage.Connect or PipelineStage.Helo));
        }
    }
}
