using System.Security.Authentication;

namespace Moat.Audit.Probing;

/// <summary>Protocol names as OpenSSL and mail server logs write them.</summary>
internal static class TlsProtocolNames
{
    public const string Tls10 = "TLSv1.0";

    public const string Tls11 = "TLSv1.1";

    public static string Of(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
#pragma warning disable SYSLIB0039 // Naming the deprecated versions is the point: the audit reports them.
        SslProtocols.Tls11 => Tls11,
        SslProtocols.Tls => Tls10,
#pragma warning restore SYSLIB0039
        _ => protocol.ToString(),
    };
}
