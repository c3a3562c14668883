namespace Moat.Trust.Authentication;

/// <summary>
/// Thrown by our key locator through MimeKit's verifier (which lets it pass) to say why no key was
/// returned: temperror for a DNS failure, permerror for a missing, revoked or unusable key.
/// </summary>
internal sealed class DkimKeyException(DkimResult result, string message) : Exception(message)
{
    public DkimResult Result { get; } = result;
}
