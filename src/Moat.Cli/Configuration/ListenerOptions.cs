namespace Moat.Cli.Configuration;

/// <summary>One entry of "listeners". All listeners run the same pipeline; the role only says whose mail it takes.</summary>
public sealed class ListenerOptions
{
    public string Name { get; set; } = string.Empty;

    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    /// <summary>"inbound" (mail from the Internet, port 25) or "submission" (the organisation's users, 587/465).</summary>
    public string Role { get; set; } = "inbound";

    /// <summary>TLS from the first byte (port 465).</summary>
    public bool ImplicitTls { get; set; }

    /// <summary>How long the greeting waits to catch clients that talk first.</summary>
    public TimeSpan PregreetWait { get; set; }
}
