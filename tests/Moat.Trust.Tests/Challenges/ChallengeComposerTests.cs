using MimeKit;
using Moat.Trust.Challenges;

namespace Moat.Trust.Tests.Challenges;

public sealed class ChallengeComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChallengeToken Token = ChallengeToken.Create(new byte[32], Now.AddDays(14));

    private static MimeMessage Compose(string? subject, string? publicUrl = "https://mail.example.test") =>
        new ChallengeComposer(new ChallengeOptions { PublicUrl = publicUrl }, "example.test")
            .Compose(new ChallengeRequest("bob@partner.test", "alice@example.test", subject, "<1@partner.test>"), Token, Now);

    [Fact]
    public void TheChallengeIsAnAutomaticReplyFromTheSignedAddress()
    {
        var message = Compose("lunch");

        Assert.Equal($"confirm+{Token}@example.test", message.From.Mailboxes.Single().Address);
        Assert.Equal("bob@partner.test", message.To.Mailboxes.Single().Address);
        Assert.Equal("auto-replied", message.Headers[HeaderId.AutoSubmitted]);
        Assert.Equal("1@partner.test", message.InReplyTo);
        Assert.Contains($"https://mail.example.test/challenge/{Token}", message.TextBody);
    }

    [Theory]
    [InlineData("<not a message id")]
    [InlineData("<a@b@c")]
    public void AMalformedMessageIdOfTheHeldMessageIsLeftOut(string messageId)
    {
        // The evaluation harness found spam whose Message-ID made MimeKit throw, which became a 451.
        var message = new ChallengeComposer(new ChallengeOptions(), "example.test")
            .Compose(new ChallengeRequest("bob@partner.test", "alice@example.test", "x", messageId), Token, Now);

        Assert.Null(message.InReplyTo);
    }

    [Fact]
    public void OnlyAShortExcerptOfTheSubjectIsQuoted()
    {
        var subject = "Cheap pills " + new string('x', 200);

        var message = Compose(subject);

        Assert.DoesNotContain(new string('x', 41), message.TextBody);
        Assert.DoesNotContain(new string('x', 41), message.Subject);
        Assert.Contains("Cheap pills", message.TextBody);
    }

    [Fact]
    public void WithoutAPublicUrlTheChallengeAsksForAReplyOnly()
    {
        var message = Compose("lunch", publicUrl: null);

        Assert.DoesNotContain("http", message.TextBody);
        Assert.Contains("reply to this message", message.TextBody);
    }
}
