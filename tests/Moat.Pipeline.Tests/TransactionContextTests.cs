using System.Net;
using Moat.Pipeline.Tests.Support;
using Moat.Smtp.Protocol;

namespace Moat.Pipeline.Tests;

public sealed class TransactionContextTests
{
    [Fact]
    public void An_ipv4_client_seen_through_a_dual_stack_socket_is_recorded_as_ipv4()
    {
        var context = new TransactionContext(IPAddress.Parse("::ffff:192.0.2.9"), "inbound", ListenerRole.Inbound);

        Assert.Equal(IPAddress.Parse("192.0.2.9"), context.ClientAddress);
    }

    [Fact]
    public void Reset_forgets_the_transaction_but_keeps_the_session()
    {
        var context = Contexts.WithSender(Paths.Parse("a@example.test"));
        context.HeloName = "mx.example.test";
        context.IsSecure = true;
        context.AddRecipient(new RcptToRequest(Paths.Parse("b@example.test"), null, null));
        context.CurrentRecipient = new RcptToRequest(Paths.Parse("c@example.test"), null, null);
        context.MessageSize = 10;
        context.OpenContent = _ => ValueTask.FromResult<Stream>(new MemoryStream());
        context.Direction = MailDirection.Inbound;
        context.AddEvidence("connect-check", PipelineStage.Connect, "listed nowhere");
        context.AddEvidence("helo-check", PipelineStage.Helo, "helo matches");
        context.AddEvidence("relay", PipelineStage.Rcpt, "inbound");

        context.Reset();

        Assert.Null(context.MailFrom);
        Assert.Empty(context.Recipients);
        Assert.Null(context.CurrentRecipient);
        Assert.Null(context.MessageSize);
        Assert.Null(context.OpenContent);
        Assert.Null(context.Direction);
        Assert.Equal(["connect-check", "helo-check"], context.Evidence.Select(e => e.Filter));
        Assert.Equal("mx.example.test", context.HeloName);
        Assert.True(context.IsSecure);
    }

    [Fact]
    public void AddedHeadersAreSingleFieldsAndForgottenWithTheTransaction()
    {
        var context = new TransactionContext(System.Net.IPAddress.Loopback, "inbound", ListenerRole.Inbound);

        context.AddHeader("X-Virus-Status", "Infected (Eicar-Signature)");

        Assert.Equal([new KeyValuePair<string, string>("X-Virus-Status", "Infected (Eicar-Signature)")], context.AddedHeaders);
        Assert.Throws<ArgumentException>(() => context.AddHeader("X-Bad", "a\r\nBcc: victim@example.org"));
        Assert.Throws<ArgumentException>(() => context.AddHeader("X Bad", "value"));
        context.Reset();
        Assert.Empty(context.AddedHeaders);
    }
}
