using Moat.Trust.Authentication;

namespace Moat.Trust.Tests.Authentication;

public sealed class DmarcRecordTests
{
    [Fact]
    public void Reads_the_tags_it_uses()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=s; pct=20; t=y; psd=n; rua=mailto:dmarc@example.test; fo=1");

        Assert.Equal(
            new DmarcRecord
            {
                Policy = DmarcPolicy.Reject,
                SubdomainPolicy = DmarcPolicy.Quarantine,
                StrictDkim = true,
                StrictSpf = true,
                Percent = 20,
                Testing = true,
                Psd = 'n',
                HasValidRua = true,
            },
            record);
    }

    [Fact]
    public void Defaults_to_relaxed_alignment_full_percentage_and_unknown_psd()
    {
        Assert.Equal(new DmarcRecord { Policy = DmarcPolicy.None }, DmarcRecord.Parse("v=DMARC1;p=none"));
        Assert.Equal(new DmarcRecord { Policy = DmarcPolicy.Quarantine }, DmarcRecord.Parse("v = DMARC1 ;\tP = Quarantine ; "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("p=reject; v=DMARC1")]
    [InlineData("v=dmarc1; p=reject")]
    [InlineData("v=DMARC2; p=reject")]
    [InlineData("v=DMARC1x; p=reject")]
    [InlineData("v=spf1 -all")]
    public void Ignores_records_not_starting_with_v_dmarc1(string text)
    {
        Assert.Null(DmarcRecord.Parse(text));
    }

    [Fact]
    public void Keeps_missing_and_invalid_policies_apart_and_ignores_junk()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=bogus; sp=; pct=150; adkim=x; garbage; =x; p=reject; rua=not a uri");

        // The first p= counts (invalid), an empty sp= is ignored, bad pct and adkim take defaults.
        Assert.Equal(new DmarcRecord(), record);
        Assert.True(DmarcRecord.Parse("v=DMARC1; p=none; sp=sometimes")!.SubdomainPolicyInvalid);
        Assert.True(DmarcRecord.Parse("v=DMARC1; rua=mailto:a@example.test!10m, https://example.test/r")!.HasValidRua);
    }
}
