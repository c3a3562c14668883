namespace Moat.Queue.Delivery;

public enum RouteType
{
    /// <summary>Look up the domain's MX records (A/AAAA fallback) and deliver there.</summary>
    Mx,

    /// <summary>Relay to a fixed host and port.</summary>
    Smtp,

    /// <summary>Write into one Maildir per recipient below a folder.</summary>
    Maildir,
}
