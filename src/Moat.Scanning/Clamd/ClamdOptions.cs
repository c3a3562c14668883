namespace Moat.Scanning.Clamd;

/// <summary>How <see cref="ClamdEngine"/> talks to its clamd hosts.</summary>
public sealed class ClamdOptions
{
    /// <summary>The clamd hosts in order of preference; the next one is tried when one fails.</summary>
    public IReadOnlyList<ClamdEndpoint> Endpoints { get; init; } = [];

    /// <summary>How long to wait for a connection before trying the next host.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one exchange (sending the object and reading the verdict) may take on one host.
    /// Keep it well below the scanner's per-engine timeout, so a hung host leaves time for the next.
    /// </summary>
    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long PING and VERSION may take: a health check must answer quickly.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a host that failed is tried only after the others.</summary>
    public TimeSpan FailureBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// clamd's StreamMaxLength, when known. Larger objects get an error verdict without being sent
    /// (clamd would refuse them anyway, after we had streamed the first StreamMaxLength bytes).
    /// </summary>
    public long? StreamMaxLength { get; init; }

    /// <summary>Bytes per INSTREAM chunk.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    /// <summary>
    /// Give clamd every object the content walker finds, not only whole messages. Off by default:
    /// clamd decodes MIME and archives itself, so the parts would be scanned twice.
    /// </summary>
    public bool AcceptAllObjects { get; init; }

    internal void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("At least one clamd endpoint is needed.", nameof(Endpoints));
        }

        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(ScanTimeout, nameof(ScanTimeout));
        RequirePositive(CommandTimeout, nameof(CommandTimeout));
        if (FailureBackoff < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(FailureBackoff)} must not be negative.", nameof(FailureBackoff));
        }

        if (ChunkSize < 1)
        {
            throw new ArgumentException($"{nameof(ChunkSize)} must be positive.", nameof(ChunkSize));
        }

        if (StreamMaxLength is < 1)
        {
            throw new ArgumentException($"{nameof(StreamMaxLength)} must be positive when set.", nameof(StreamMaxLength));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        // CancelAfter accepts at most about 49 days; anything longer is a configuration mistake.
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"{name} must be positive and finite, not {value}.", name);
        }
    }
}
