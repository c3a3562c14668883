using System.Text;
using BenchmarkDotNet.Attributes;
using Moat.Smtp.Protocol;

namespace Moat.Benchmarks.Smtp;

/// <summary>The cost of parsing the commands of one transaction, per command.</summary>
[MemoryDiagnoser]
public class SmtpCommandParserBenchmarks
{
    private readonly byte[] mailFrom = Encoding.ASCII.GetBytes("MAIL FROM:<sender.name@example.org> SIZE=10240 BODY=8BITMIME");
    private readonly byte[] rcptTo = Encoding.ASCII.GetBytes("RCPT TO:<recipient.name@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;recipient.name@example.com");
    private readonly byte[] ehlo = Encoding.ASCII.GetBytes("EHLO client.example.org");

    [Benchmark]
    public SmtpParseResult Ehlo() => SmtpCommandParser.Parse(ehlo);

    [Benchmark]
    public SmtpParseResult MailFrom() => SmtpCommandParser.Parse(mailFrom);

    [Benchmark]
    public SmtpParseResult RcptTo() => SmtpCommandParser.Parse(rcptTo);
}
