namespace Moat.Cli.Configuration;

/// <summary>Section "tls": the certificate for STARTTLS and implicit TLS.</summary>
public sealed class TlsOptions
{
    /// <summary>PKCS#12 (.pfx) file or PEM certificate file. When empty, a self-signed certificate is generated in the data folder on first run.</summary>
    public string? Certificate { get; set; }

    /// <summary>PEM private key file, when <see cref="Certificate"/> is a PEM certificate.</summary>
    public string? Key { get; set; }

    /// <summary>Password of the PKCS#12 file, if any.</summary>
    public string? Password { get; set; }

    /// <summary>Set false to offer no TLS at all.</summary>
    public bool Enabled { get; set; } = true;
}
