using System.Globalization;
using Moat.Queue.Spool;

namespace Moat.Queue.Delivery;

/// <summary>
/// Delivers into one Maildir per recipient: <c>&lt;folder&gt;/&lt;address lowercased&gt;/{tmp,new,cur}</c>.
/// Each copy is written to tmp, fsynced, then renamed into new (the Maildir protocol), so a reader
/// never sees a partial message.
/// </summary>
public sealed class MaildirDeliveryAgent(string hostname) : IDeliveryAgent
{
    private static int sequence;
    private readonly string safeHostname = hostname.Replace("/", "\\057", StringComparison.Ordinal).Replace(":", "\\072", StringComparison.Ordinal);

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var results = new List<RecipientResult>(request.Recipients.Count);
        foreach (var recipient in request.Recipients)
        {
            results.Add(await DeliverOneAsync(request, recipient, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>The Maildir folder of a recipient: the lowercased address with path separators made harmless.</summary>
    public static string MaildirPath(string folder, string address)
    {
        var name = address.ToLowerInvariant().Replace('/', '_').Replace('\\', '_').Replace('\0', '_');
        if (name is "." or ".." || name.Length == 0)
        {
            name = "_" + name;
        }

        return Path.Combine(folder, name);
    }

    private async Task<RecipientResult> DeliverOneAsync(DeliveryRequest request, EnvelopeRecipient recipient, CancellationToken cancellationToken)
    {
        try
        {
            var maildir = MaildirPath(request.Route.Folder, recipient.Address);
            var tmp = Directory.CreateDirectory(Path.Combine(maildir, "tmp")).FullName;
            var newFolder = Directory.CreateDirectory(Path.Combine(maildir, "new")).FullName;
            Directory.CreateDirectory(Path.Combine(maildir, "cur"));

            var name = UniqueName();
            var tempPath = Path.Combine(tmp, name);
            try
            {
                await using (var source = request.Content.OpenRead())
                await using (var target = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                {
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                    target.Flush(flushToDisk: true);
                }

                File.Move(tempPath, Path.Combine(newFolder, name));
            }
            finally
            {
                File.Delete(tempPath);
            }

            FileSync.SyncDirectory(newFolder);
            return new RecipientResult(recipient, DeliveryOutcome.Delivered, "250 2.0.0 delivered to maildir");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new RecipientResult(recipient, DeliveryOutcome.Deferred, "451 4.3.0 maildir delivery failed: " + ex.Message);
        }
    }

    private string UniqueName()
    {
        // time.MusecPpid_Qdelivery.host, as the Maildir specification suggests.
        var now = DateTimeOffset.UtcNow;
        var seconds = now.ToUnixTimeSeconds();
        var micro = (now.UtcTicks / 10) % 1_000_000;
        var count = Interlocked.Increment(ref sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.M{micro}P{Environment.ProcessId}Q{count}.{safeHostname}");
    }
}
