namespace Moat.Smtp.Tests.Server.Support;

/// <summary>How a transcript's client side is fed to the server (MailKit's three ways).</summary>
public enum ReplayMode
{
    /// <summary>Everything after the greeting in one write, replies read at the end (full pipelining).</summary>
    AllAtOnce,

    /// <summary>One write per line, waiting for each expected reply before going on.</summary>
    LineByLine,

    /// <summary>One write per byte, waiting for each expected reply before going on.</summary>
    ByteByByte,
}
