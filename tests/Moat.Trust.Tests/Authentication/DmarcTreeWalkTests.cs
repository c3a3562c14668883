using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class DmarcTreeWalkTests
{
    private static readonly DmarcRecord Plain = new() { Policy = DmarcPolicy.Reject };
    private static readonly DmarcRecord PsdYes = new() { Policy = DmarcPolicy.Reject, Psd = 'y' };
    private static readonly DmarcRecord PsdNo = new() { Policy = DmarcPolicy.Reject, Psd = 'n' };

    [Fact]
    public void Walks_a_long_name_in_at_most_eight_queries_as_the_draft_illustrates()
    {
        Assert.Equal(
            [
                "a.b.c.d.e.f.g.h.i.j.mail.example.com",
                "g.h.i.j.mail.example.com",
                "h.i.j.mail.example.com",
                "i.j.mail.example.com",
                "j.mail.example.com",
                "mail.example.com",
                "example.com",
                "com",
            ],
            DmarcTreeWalk.Targets("a.b.c.d.e.f.g.h.i.j.mail.example.com"));
    }

    [Fact]
    public void Walks_a_short_name_label_by_label()
    {
        Assert.Equal(["a.mail.example.com", "mail.example.com", "example.com", "com"], DmarcTreeWalk.Targets("a.mail.example.com"));
        Assert.Equal(["com"], DmarcTreeWalk.Targets("com"));
        Assert.Equal(8, DmarcTreeWalk.Targets("a.b.c.d.e.f.g.h").Count);
        Assert.Equal("b.c.d.e.f.g.h", DmarcTreeWalk.Targets("a.b.c.d.e.f.g.h")[1]);
    }

    [Fact]
    public void The_organizational_domain_follows_the_drafts_examples()
    {
        const string start = "a.mail.example.com";

        // Records at mail.example.com and example.com: the one with the fewest labels.
        Assert.Equal("example.com", DmarcTreeWalk.OrganizationalDomain(start, [("mail.example.com", Plain), ("example.com", Plain)]));

        // psd=n at mail.example.com.
        Assert.Equal("mail.example.com", DmarcTreeWalk.OrganizationalDomain(start, [("mail.example.com", PsdNo)]));

        // Only a psd=y record at com: one label below it.
        Assert.Equal("example.com", DmarcTreeWalk.OrganizationalDomain(start, [("com", PsdYes)]));

        // No records: the name itself.
        Assert.Equal(start, DmarcTreeWalk.OrganizationalDomain(start, []));

        // psd=y at the start itself does not count as a boundary below it.
        Assert.Equal("example.com", DmarcTreeWalk.OrganizationalDomain("example.com", [("example.com", PsdYes)]));
    }
}
