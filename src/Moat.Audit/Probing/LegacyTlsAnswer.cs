namespace Moat.Audit.Probing;

/// <summary>The server's first TLS record after a ClientHello offering one old version.</summary>
internal enum LegacyTlsAnswer
{
    /// <summary>Not enough bytes yet to tell.</summary>
    Incomplete,

    /// <summary>A ServerHello for the version offered: the server accepts it.</summary>
    ServerHello,

    /// <summary>A ServerHello for another version: a broken server, but not an acceptance.</summary>
    OtherVersion,

    /// <summary>An alert (typically protocol_version or handshake_failure): refused.</summary>
    Alert,

    /// <summary>Something that is not TLS at all.</summary>
    NotTls,
}
