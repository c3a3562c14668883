using System.Buffers.Binary;
using System.Text;
using Moat.Audit.Probing;

namespace Moat.Audit.Tests.Probing;

public sealed class LegacyClientHelloTests
{
    [Theory]
    [InlineData(LegacyClientHello.Tls10)]
    [InlineData(LegacyClientHello.Tls11)]
    public void The_hello_is_one_well_formed_record_offering_exactly_that_version(ushort version)
    {
        var hello = LegacyClientHello.Build(version, "mx.example.org");

        Assert.Equal(0x16, hello[0]);
        Assert.Equal(hello.Length - 5, BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(3)));
        Assert.Equal(0x01, hello[5]);
        Assert.Equal(hello.Length - 9, (hello[6] << 16) | (hello[7] << 8) | hello[8]);
        Assert.Equal(version, BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(9)));
        Assert.Contains("mx.example.org", Encoding.ASCII.GetString(hello), StringComparison.Ordinal);
        Assert.True(LegacyClientHello.IsHandshakeRecord(hello));
    }

    [Fact]
    public void No_server_name_is_sent_for_an_address()
    {
        var hello = LegacyClientHello.Build(LegacyClientHello.Tls10, "192.0.2.1");

        Assert.DoesNotContain("192.0.2.1", Encoding.ASCII.GetString(hello), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_answers_are_classified()
    {
        byte[] serverHello10 = [0x16, 0x03, 0x01, 0x00, 0x4A, 0x02, 0x00, 0x00, 0x46, 0x03, 0x01, 0xAA];
        byte[] serverHello12 = [0x16, 0x03, 0x03, 0x00, 0x4A, 0x02, 0x00, 0x00, 0x46, 0x03, 0x03, 0xAA];
        byte[] protocolVersionAlert = [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46];

        Assert.Equal(LegacyTlsAnswer.ServerHello, LegacyClientHello.Classify(serverHello10, LegacyClientHello.Tls10));
        Assert.Equal(LegacyTlsAnswer.OtherVersion, LegacyClientHello.Classify(serverHello12, LegacyClientHello.Tls10));
        Assert.Equal(LegacyTlsAnswer.Alert, LegacyClientHello.Classify(protocolVersionAlert, LegacyClientHello.Tls11));
        Assert.Equal(LegacyTlsAnswer.Incomplete, LegacyClientHello.Classify(protocolVersionAlert.AsSpan(0, 5), LegacyClientHello.Tls11));
        Assert.Equal(LegacyTlsAnswer.Incomplete, LegacyClientHello.Classify(serverHello10.AsSpan(0, 8), LegacyClientHello.Tls10));
        Assert.Equal(LegacyTlsAnswer.NotTls, LegacyClientHello.Classify("554 no\r\n"u8, LegacyClientHello.Tls10));
    }

    [Fact]
    public void An_alert_instead_of_a_client_hello_means_our_side_refused()
    {
        // What .NET on OpenSSL 3 writes when asked for TLS 1.0 only: alert, fatal, internal_error.
        Assert.False(LegacyClientHello.IsHandshakeRecord([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x50]));
    }
}
