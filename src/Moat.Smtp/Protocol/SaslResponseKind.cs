namespace Moat.Smtp.Protocol;

/// <summary>What a client line in an AUTH exchange turned out to be.</summary>
public enum SaslResponseKind
{
    /// <summary>Base64 that decoded; the bytes are in <see cref="SaslResponse.Data"/> (possibly none).</summary>
    Data,

    /// <summary>"*": the client gives up (RFC 4954 §4).</summary>
    Cancelled,

    /// <summary>Not base64 (the RFC 4648 alphabet with padding, nothing else).</summary>
    Malformed,

    /// <summary>Longer than the AUTH line bound; its bytes were discarded unread.</summary>
    TooLong,
}
