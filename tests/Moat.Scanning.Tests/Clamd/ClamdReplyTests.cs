using Moat.Scanning.Clamd;

namespace Moat.Scanning.Tests.Clamd;

public sealed class ClamdReplyTests
{
    [Theory]
    [InlineData("stream: OK", ClamdReplyKind.Clean)]
    [InlineData("stream: Eicar-Signature FOUND", ClamdReplyKind.Found)]
    [InlineData("INSTREAM size limit exceeded. ERROR", ClamdReplyKind.SizeLimitExceeded)]
    [InlineData("stream: Can't allocate memory ERROR", ClamdReplyKind.Error)]
    [InlineData("UNKNOWN COMMAND", ClamdReplyKind.Error)]
    [InlineData("stream:  FOUND", ClamdReplyKind.Error)]
    public void OneLine(string line, ClamdReplyKind kind)
    {
        Assert.Equal(kind, ClamdReply.Parse([line]).Kind);
    }

    [Fact]
    public void ExtendedDetectionInfoIsDroppedFromTheName()
    {
        var reply = ClamdReply.Parse(["stream: Eicar-Signature(44d88612fea8a8f36de82e1278abb02f:68) FOUND"]);

        Assert.Equal(["Eicar-Signature"], reply.Threats);
    }

    [Fact]
    public void AllMatchRepliesGiveEveryThreatAndADetectionWinsOverAnError()
    {
        var reply = ClamdReply.Parse(["stream: One FOUND", "stream: Two FOUND", "stream: One FOUND", "stream: Broken ERROR"]);

        Assert.Equal(ClamdReplyKind.Found, reply.Kind);
        Assert.Equal(["One", "Two"], reply.Threats);
    }

    [Fact]
    public void NoLinesIsAnError()
    {
        Assert.Equal(ClamdReplyKind.Error, ClamdReply.Parse([]).Kind);
    }
}
