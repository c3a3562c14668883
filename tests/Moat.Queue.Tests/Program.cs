using Moat.Queue.Spool;

namespace Moat.Queue.Tests;

/// <summary>
/// The test assembly doubles as the child process of the crash test: started with
/// "crash-writer &lt;folder&gt;" it commits messages in a loop and prints "ACK &lt;id&gt;" after each
/// commit returns (the moment the SMTP side would answer 250), until it is killed.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["crash-writer", var folder])
        {
            return 0;
        }

        var spool = new MessageSpool(new QueueOptions { Folder = folder, Hostname = "gw.test" });
        var chunk = new byte[4096];
        Array.Fill(chunk, (byte)'x');
        for (var n = 0; ; n++)
        {
            await using var writer = await spool.CreateAsync(CancellationToken.None);
            await writer.Content.WriteAsync(TestQueue.Message("crash " + n));
            for (var i = 0; i < 16; i++)
            {
                await writer.Content.WriteAsync(chunk);
                await writer.Content.WriteAsync("\r\n"u8.ToArray());
            }

            await writer.CommitAsync(TestQueue.Envelope("s@origin.test", "a@dest.test"), QueueState.Incoming, CancellationToken.None);
            Console.Out.WriteLine("ACK " + writer.Id);
            Console.Out.Flush();
        }
    }
}
