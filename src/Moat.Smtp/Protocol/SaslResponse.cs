namespace Moat.Smtp.Protocol;

/// <summary>
/// One client response of an AUTH exchange (RFC 4954 §4): the initial response or a line sent
/// after a 334 challenge, with its base64 already decoded. It usually holds a password, so
/// <see cref="ToString"/> shows only the kind and the length.
/// </summary>
public sealed class SaslResponse
{
    private SaslResponse(SaslResponseKind kind, ReadOnlyMemory<byte> data)
    {
        Kind = kind;
        Data = data;
    }

    public static SaslResponse Empty { get; } = new(SaslResponseKind.Data, ReadOnlyMemory<byte>.Empty);

    public static SaslResponse Cancelled { get; } = new(SaslResponseKind.Cancelled, ReadOnlyMemory<byte>.Empty);

    public static SaslResponse Malformed { get; } = new(SaslResponseKind.Malformed, ReadOnlyMemory<byte>.Empty);

    public static SaslResponse TooLong { get; } = new(SaslResponseKind.TooLong, ReadOnlyMemory<byte>.Empty);

    public SaslResponseKind Kind { get; }

    /// <summary>The decoded bytes; empty unless <see cref="Kind"/> is <see cref="SaslResponseKind.Data"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public static SaslResponse FromData(byte[] data) => data.Length == 0 ? Empty : new(SaslResponseKind.Data, data);

    public override string ToString() => Kind == SaslResponseKind.Data ? $"Data ({Data.Length} bytes)" : Kind.ToString();
}
