namespace Moat.Trust.Authentication;

/// <summary>Which SMTP identity SPF checked (RFC 7208 §2.3, §2.4).</summary>
public enum SpfIdentity
{
    /// <summary>The domain of the MAIL FROM address.</summary>
    MailFrom,

    /// <summary>The HELO/EHLO name, used for the null sender (MAIL FROM:&lt;&gt;).</summary>
    Helo,
}
