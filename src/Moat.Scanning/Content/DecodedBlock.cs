namespace Moat.Scanning.Content;

/// <summary>
/// One decoding of an encoded block. <paramref name="Named"/> blocks (uuencode, yEnc, BinHex)
/// announce themselves and are always kept; bare base64 or quoted-printable runs are kept only when
/// the result is recognisable content. An <paramref name="Abandoned"/> decoding is never kept.
/// </summary>
internal sealed record DecodedBlock(CopyResult Copy, string Encoding, string? FileName, bool Named, FileKind Kind, bool Abandoned = false);
