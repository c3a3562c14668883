namespace Moat.Audit.Fingerprints;

/// <summary>The product names <see cref="Fingerprinter"/> reports, as <see cref="Fingerprint.Product"/> carries them.</summary>
public static class ProductNames
{
    public const string Postfix = "Postfix";

    public const string PostfixSmtpSink = "Postfix smtp-sink";

    public const string Exim = "Exim";

    public const string Sendmail = "Sendmail";

    public const string MicrosoftExchange = "Microsoft Exchange";

    public const string OpenSmtpd = "OpenSMTPD";

    public const string Haraka = "Haraka";

    public const string Aiosmtpd = "aiosmtpd";

    public const string Moat = "Moat";
}
