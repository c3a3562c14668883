namespace Moat.Audit.Probing;

/// <summary>One envelope of the open-relay suite: the paths go between the angle brackets of MAIL FROM and RCPT TO.</summary>
internal sealed record RelayProbe(string Trick, string MailFrom, string RcptTo);
