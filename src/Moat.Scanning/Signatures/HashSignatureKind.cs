namespace Moat.Scanning.Signatures;

/// <summary>The digest a whole-object hash signature is written in.</summary>
public enum HashSignatureKind
{
    Md5,
    Sha1,
    Sha256,
}
