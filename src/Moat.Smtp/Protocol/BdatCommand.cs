namespace Moat.Smtp.Protocol;

/// <summary>RFC 3030 BDAT: a chunk of exactly <paramref name="Size"/> octets follows the command line.</summary>
public sealed record BdatCommand(long Size, bool IsLast, string Argument)
    : SmtpCommand(SmtpVerb.Bdat, Argument);
