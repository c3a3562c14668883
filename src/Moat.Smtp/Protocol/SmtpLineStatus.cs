namespace Moat.Smtp.Protocol;

public enum SmtpLineStatus
{
    /// <summary>No complete line yet; read more and call again.</summary>
    NeedMoreData,

    /// <summary>A complete line (without its CRLF) was read.</summary>
    Line,

    /// <summary>A line longer than the limit ended; its bytes were discarded.</summary>
    TooLong,
}
