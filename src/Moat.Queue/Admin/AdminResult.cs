namespace Moat.Queue.Admin;

/// <summary>Outcome of an admin operation, with a message fit to print.</summary>
public sealed record AdminResult(bool Success, string Message)
{
    public static AdminResult Ok(string message) => new(true, message);

    public static AdminResult Refused(string message) => new(false, message);
}
