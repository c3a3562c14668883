namespace Moat.Pipeline.Tests;

public sealed class VerdictTests
{
    [Fact]
    public void Factories_give_the_matching_kind()
    {
        Assert.Equal(VerdictKind.Continue, Verdict.Continue.Kind);
        Assert.True(Verdict.Continue.IsContinue);
        Assert.Equal(VerdictKind.Accept, Verdict.Accept.Kind);
        Assert.False(Verdict.Accept.IsContinue);

        var tempFail = Verdict.TempFail(451, "4.7.1", "Try again later");
        Assert.Equal(VerdictKind.TempFail, tempFail.Kind);
        Assert.Equal("451 4.7.1 Try again later", tempFail.Reply!.ToString());

        var reject = Verdict.Reject(550, "5.7.1", "Message refused");
        Assert.Equal(VerdictKind.Reject, reject.Kind);
        Assert.Equal(550, reject.Reply!.Code);

        Assert.Equal("virus found", Verdict.Quarantine("virus found").Reason);
        Assert.Equal(VerdictKind.Hold, Verdict.Hold("awaiting challenge").Kind);
    }

    [Fact]
    public void A_reply_of_the_wrong_class_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Verdict.TempFail(554, "5.7.1", "Relay access denied"));
        Assert.Throws<ArgumentException>(() => Verdict.Reject(451, "4.3.0", "Local error"));
        Assert.Throws<ArgumentException>(() => Verdict.Reject(250, "2.0.0", "OK"));
        Assert.Throws<ArgumentException>(() => Verdict.Quarantine(" "));
    }
}
