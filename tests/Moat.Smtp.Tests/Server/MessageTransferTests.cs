using System.Text;
using Moat.Smtp.Tests.Server.Support;

namespace Moat.Smtp.Tests.Server;

/// <summary>Messages far larger than any buffer in the server arrive byte for byte.</summary>
public sealed class MessageTransferTests
{
    private static string LargeMessage()
    {
        var builder = new StringBuilder("Subject: large\r\n\r\n");
        for (var i = 0; i < 4000; i++)
        {
            builder.Append(i % 7 == 0 ? "." : string.Empty).Append("line ").Append(i).Append(' ', i % 90).Append("\r\n");
        }

        return builder.ToString();
    }

    [Fact]
    public async Task Large_message_through_data_is_unstuffed_exactly()
    {
        var message = LargeMessage();
        var stuffed = string.Join("\r\n", message.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        await using var server = await TestServer.StartAsync();
        await using var client = await BadInputTests.OpenTransactionAsync(server);

        await client.SendAsync("DATA\r\n");
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.ReadReplyLineAsync());
        await client.SendAsync(stuffed + ".\r\n");

        Assert.Equal("250 2.0.0 OK queued", await client.ReadReplyLineAsync());
        Assert.Equal(message, Encoding.ASCII.GetString(Assert.Single(server.Handlers.Single.Messages)));
        Assert.Contains($"complete {message.Length}", server.Handlers.Single.Events);
    }

    [Fact]
    public async Task Large_message_through_bdat_arrives_raw()
    {
        var message = LargeMessage();
        var bytes = Encoding.ASCII.GetBytes(message);
        await using var server = await TestServer.StartAsync();
        await using var client = await BadInputTests.OpenTransactionAsync(server);

        var half = bytes.Length / 2;
        await client.SendAsync([.. Encoding.ASCII.GetBytes($"BDAT {half}\r\n"), .. bytes[..half]]);
        await client.SendAsync([.. Encoding.ASCII.GetBytes($"BDAT {bytes.Length - half} LAST\r\n"), .. bytes[half..]]);

        Assert.Equal($"250 2.0.0 {half} octets received", await client.ReadReplyLineAsync());
        Assert.Equal("250 2.0.0 OK queued", await client.ReadReplyLineAsync());
        Assert.Equal(message, Encoding.ASCII.GetString(Assert.Single(server.Handlers.Single.Messages)));
    }
}
