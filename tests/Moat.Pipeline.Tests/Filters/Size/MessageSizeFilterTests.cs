using Moat.Pipeline.Filters.Size;
using Moat.Pipeline.Tests.Support;

namespace Moat.Pipeline.Tests.Filters.Size;

public sealed class MessageSizeFilterTests
{
    private readonly MessageSizeFilter filter = new(new MessageSizeOptions { MaxMessageSize = 1000 });

    [Theory]
    [InlineData(null, VerdictKind.Continue)]
    [InlineData(0L, VerdictKind.Continue)]
    [InlineData(1000L, VerdictKind.Continue)]
    [InlineData(1001L, VerdictKind.Reject)]
    public async Task The_declared_size_is_checked_at_mail_from(long? declared, VerdictKind expected)
    {
        var context = Contexts.WithSender(Paths.Parse("a@other.example"), declaredSize: declared);

        var verdict = await filter.EvaluateAsync(PipelineStage.Mail, context, CancellationToken.None);

        Assert.Equal(expected, verdict.Kind);
        if (expected == VerdictKind.Reject)
        {
            AssertTooLarge(verdict);
            Assert.Contains("declared size 1001 bytes", Assert.Single(context.Evidence).Text);
        }
    }

    [Theory]
    [InlineData(1000L, VerdictKind.Continue)]
    [InlineData(1001L, VerdictKind.Reject)]
    public async Task The_actual_size_is_checked_at_content(long size, VerdictKind expected)
    {
        // The declaration is optional and may be a lie, so a small declared size does not excuse a large message.
        var context = Contexts.WithSender(Paths.Parse("a@other.example"), declaredSize: 10);
        context.MessageSize = size;

        var verdict = await filter.EvaluateAsync(PipelineStage.Content, context, CancellationToken.None);

        Assert.Equal(expected, verdict.Kind);
        if (expected == VerdictKind.Reject)
        {
            AssertTooLarge(verdict);
        }
    }

    [Fact]
    public void The_default_maximum_and_invalid_options()
    {
        Assert.Equal(50L * 1024 * 1024, new MessageSizeOptions().MaxMessageSize);
        Assert.Throws<ArgumentException>(() => new MessageSizeFilter(new MessageSizeOptions { MaxMessageSize = 0 }));
        Assert.Equal([PipelineStage.Mail, PipelineStage.Content], filter.Stages);
    }

    private static void AssertTooLarge(Verdict verdict)
    {
        Assert.Equal(552, verdict.Reply!.Code);
        Assert.Equal("5.3.4", verdict.Reply.EnhancedCode);
        Assert.Equal(["Message size exceeds fixed maximum message size"], verdict.Reply.Lines);
    }
}
