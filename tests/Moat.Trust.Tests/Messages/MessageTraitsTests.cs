using System.Text;
using Moat.Trust.Messages;

namespace Moat.Trust.Tests.Messages;

public sealed class MessageTraitsTests
{
    private static Task<MessageTraits> Read(string header) =>
        MessageTraits.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(header.ReplaceLineEndings("\r\n") + "\r\nbody\r\n")), CancellationToken.None);

    [Fact]
    public async Task APersonalMessageIsNeitherAutomaticNorList()
    {
        var traits = await Read("From: Bob <bob@partner.test>\nTo: alice@example.test\nSubject: lunch\nMessage-ID: <1@partner.test>\n");

        Assert.False(traits.IsAutomatic);
        Assert.False(traits.IsListTraffic);
        Assert.Equal("bob@partner.test", traits.FromAddress);
        Assert.Equal("lunch", traits.Subject);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\n")]
    [InlineData("Auto-Submitted: auto-generated\n")]
    [InlineData("X-Autoreply: yes\n")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=x\n")]
    [InlineData("X-Challenge: confirm\n")]
    public async Task AutomaticMailIsRecognised(string header)
    {
        Assert.True((await Read("From: bob@partner.test\n" + header)).IsAutomatic);
    }

    [Fact]
    public async Task AutoSubmittedNoIsPersonal()
    {
        Assert.False((await Read("From: bob@partner.test\nAuto-Submitted: no\n")).IsAutomatic);
    }

    [Theory]
    [InlineData("List-Id: <dev.lists.partner.test>\n")]
    [InlineData("List-Unsubscribe: <mailto:leave@partner.test>\n")]
    [InlineData("Precedence: bulk\n")]
    [InlineData("Precedence: list\n")]
    [InlineData("Precedence: junk\n")]
    public async Task ListTrafficIsRecognised(string header)
    {
        Assert.True((await Read("From: bob@partner.test\n" + header)).IsListTraffic);
    }

    [Theory]
    [InlineData("From: a@partner.test, b@partner.test\n")]
    [InlineData("From: a@partner.test\nFrom: b@partner.test\n")]
    [InlineData("Subject: no from\n")]
    public async Task NoneOrSeveralFromAddressesGiveNoFromAddress(string header)
    {
        Assert.Null((await Read(header)).FromAddress);
    }

    [Theory]
    [InlineData("List-Post: <mailto:Dev@Lists.Partner.test>", "dev@lists.partner.test")]
    [InlineData("List-Post: <mailto:dev@lists.partner.test?subject=post>", "dev@lists.partner.test")]
    [InlineData("List-Post: <http://partner.test/post>, <mailto:dev%2Bx@lists.partner.test>", "dev+x@lists.partner.test")]
    [InlineData("List-Post: NO", null)]
    [InlineData("List-Post: <mailto:nobody>", null)]
    public async Task TheListsPostingAddressIsTakenFromListPost(string header, string? expected)
    {
        Assert.Equal(expected, (await Read("From: carol@elsewhere.test\n" + header + "\n")).ListAddress);
    }
}
