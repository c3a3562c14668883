namespace Moat.Queue.Delivery;

public enum TlsMode
{
    /// <summary>Plain text, never STARTTLS.</summary>
    None,

    /// <summary>STARTTLS when offered, any certificate accepted (Postfix "may"): encryption against passive listeners only.</summary>
    Opportunistic,

    /// <summary>STARTTLS is mandatory and the certificate must validate for the host name.</summary>
    Required,
}
