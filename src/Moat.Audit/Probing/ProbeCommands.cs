namespace Moat.Audit.Probing;

/// <summary>
/// The commands whose replies <see cref="ListenerObservation.Replies"/> keeps, under these keys
/// (the command exactly as sent). Multi-line replies are kept with their lines joined by "\n".
/// </summary>
public static class ProbeCommands
{
    /// <summary>Help texts name products more often than anything else.</summary>
    public const string Help = "HELP";

    /// <summary>A verb no server knows: the wording of "unknown command" differs from product to product.</summary>
    public const string UnknownCommand = "XAUDITPROBE";

    /// <summary>A sender with an unquoted space: every server refuses it, each in its own words (smtp-sink excepted).</summary>
    public const string BadMailFrom = "MAIL FROM:<not an address>";

    public const string Noop = "NOOP";

    public const string Rset = "RSET";

    public const string Quit = "QUIT";

    /// <summary>The EHLO that failed, when the server refused it and HELO was used instead.</summary>
    public const string Ehlo = "EHLO";
}
