using Moat.Trust;
using Moat.Trust.Challenges;

namespace Moat.Cli.Hosting;

/// <summary>The queue side of trust components that are only described, never run.</summary>
internal sealed class DetachedQueue : ISystemMailer, IHeldMail
{
    public static DetachedQueue Instance { get; } = new();

    public ValueTask SendAsync(string recipient, Func<Stream, CancellationToken, Task> writeMessage, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("These trust components only describe the pipeline; they cannot send mail.");

    public ValueTask<IReadOnlyList<HeldMessage>> ListAsync(string reason, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("These trust components only describe the pipeline; they cannot list mail.");

    public ValueTask<IReadOnlyList<string>> ReleaseFromAsync(string sender, string reason, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("These trust components only describe the pipeline; they cannot release mail.");

    public ValueTask<int> DeleteHeldBeforeAsync(string reason, DateTimeOffset before, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("These trust components only describe the pipeline; they cannot delete mail.");
}
