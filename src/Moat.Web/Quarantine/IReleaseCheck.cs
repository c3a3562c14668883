namespace Moat.Web.Quarantine;

/// <summary>
/// Checks held mail once more before it leaves the quarantine. Mail waits there for hours or days,
/// and signatures published meanwhile may know what was unknown when it arrived.
/// </summary>
public interface IReleaseCheck
{
    /// <summary>
    /// Null when nothing stops the release; otherwise why the message stays held. A threat found
    /// becomes the message's hold reason, so the quarantine shows it and only an administrator
    /// can release it.
    /// </summary>
    Task<ReleaseResult?> CheckAsync(string id, CancellationToken cancellationToken);
}
