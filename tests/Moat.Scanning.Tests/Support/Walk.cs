using System.Text;
using Moat.Scanning.Content;

namespace Moat.Scanning.Tests.Support;

/// <summary>Runs the content walker in tests and keeps what it found.</summary>
internal static class Walk
{
    public static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>Content is read only up to this many bytes per object, so bomb tests stay light.</summary>
    private const int MaxRead = 4 << 20;

    public static Task<WalkResult> MessageAsync(string rawMessage, ScanLimits? limits = null) =>
        RootAsync(Root("message.eml", Encoding.Latin1.GetBytes(rawMessage), isMessage: true), limits);

    public static Task<WalkResult> BytesAsync(string name, byte[] content, ScanLimits? limits = null) =>
        RootAsync(Root(name, content, isMessage: false), limits);

    public static ScanObject Root(string name, byte[] content, bool isMessage) =>
        ScanRoots.FromStream(name, _ => ValueTask.FromResult<Stream>(new MemoryStream(content, writable: false)), content.Length, isMessage);

    public static async Task<WalkResult> RootAsync(ScanObject root, ScanLimits? limits = null)
    {
        var walker = new ContentWalker(limits ?? new ScanLimits());
        var violations = new List<LimitViolation>();
        var objects = new List<WalkedObject>();
        await foreach (var item in walker.WalkAsync(root, violations, CancellationToken.None))
        {
            objects.Add(new WalkedObject(item, await ReadAsync(item)));
        }

        return new WalkResult(objects, violations);
    }

    public static async Task<byte[]> ReadAsync(ScanObject item)
    {
        await using var stream = await item.Open(CancellationToken.None);
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while (memory.Length < MaxRead && (read = await stream.ReadAsync(buffer)) > 0)
        {
            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }
}
