using System.Globalization;

namespace Moat.Scanning.Clamd;

/// <summary>Where one clamd listens: a TCP host and port, or a Unix socket path.</summary>
public sealed record ClamdEndpoint
{
    /// <summary>clamd's conventional TCP port, used when a host is given without one.</summary>
    public const int DefaultPort = 3310;

    private ClamdEndpoint(string? host, int port, string? socketPath)
    {
        Host = host;
        Port = port;
        SocketPath = socketPath;
    }

    /// <summary>The host name or IP address for TCP; null for a Unix socket.</summary>
    public string? Host { get; }

    /// <summary>The TCP port; 0 for a Unix socket.</summary>
    public int Port { get; }

    /// <summary>The Unix socket path; null for TCP.</summary>
    public string? SocketPath { get; }

    public bool IsUnixSocket => SocketPath is not null;

    public static ClamdEndpoint Tcp(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new ClamdEndpoint(host, port, null);
    }

    public static ClamdEndpoint Unix(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ClamdEndpoint(null, 0, path);
    }

    /// <summary>
    /// Reads "host:port", "host" (port 3310), "[::1]:port", "unix:/path" or "/path".
    /// Throws <see cref="FormatException"/> with the accepted forms when the text fits none.
    /// </summary>
    public static ClamdEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["unix:".Length..];
            return value.Length > 0 ? Unix(value) : throw Invalid(text);
        }

        if (value.StartsWith('/'))
        {
            return Unix(value);
        }

        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            // An IPv6 literal keeps its colons inside the brackets.
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < value.Length && value[close + 1] != ':'))
            {
                throw Invalid(text);
            }

            host = value[1..close];
            port = close + 1 < value.Length ? value[(close + 2)..] : null;
        }
        else
        {
            var colon = value.LastIndexOf(':');
            host = colon < 0 ? value : value[..colon];
            port = colon < 0 ? null : value[(colon + 1)..];
        }

        if (host.Length == 0 || (host.Contains(':', StringComparison.Ordinal) && !value.StartsWith('[')))
        {
            throw Invalid(text);
        }

        if (port is null)
        {
            return Tcp(host, DefaultPort);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? Tcp(host, number)
            : throw Invalid(text);
    }

    public override string ToString() => SocketPath is not null
        ? "unix:" + SocketPath
        : Host!.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static FormatException Invalid(string text) =>
        new($"'{text}' is not a clamd address: use host:port, [IPv6]:port, unix:/path or /path.");
}
