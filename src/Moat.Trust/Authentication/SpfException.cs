namespace Moat.Trust.Authentication;

/// <summary>
/// Ends an SPF evaluation at once with temperror or permerror: RFC 7208 says such a result
/// "terminates immediately", however deep in includes it happens.
/// </summary>
internal sealed class SpfException(SpfResult result, string message) : Exception(message)
{
    public SpfResult Result { get; } = result;

    public static SpfException Perm(string message) => new(SpfResult.PermError, message);

    public static SpfException Temp(string message) => new(SpfResult.TempError, message);
}
