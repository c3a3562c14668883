using System.Diagnostics.Metrics;

namespace Moat.Smtp.Server;

/// <summary>The server's instruments, on the "Moat.Smtp" meter.</summary>
internal sealed class SmtpMetrics : IDisposable
{
    public const string MeterName = "Moat.Smtp";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _connections;
    private readonly Counter<long> _rejected;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _bytesReceived;
    private readonly Histogram<double> _sessionDuration;
    private readonly Counter<long> _authAttempts;

    public SmtpMetrics()
    {
        _connections = _meter.CreateCounter<long>("connections", "{connection}", "Connections accepted");
        _rejected = _meter.CreateCounter<long>("connections.rejected", "{connection}", "Connections refused before or at the greeting");
        _active = _meter.CreateUpDownCounter<long>("connections.active", "{connection}", "Sessions open now");
        _replies = _meter.CreateCounter<long>("replies", "{reply}", "Replies sent, by code");
        _bytesReceived = _meter.CreateCounter<long>("bytes.received", "By", "Bytes received from clients");
        _sessionDuration = _meter.CreateHistogram<double>("session.duration", "s", "Session length");
        _authAttempts = _meter.CreateCounter<long>("auth.attempts", "{attempt}", "AUTH commands, by mechanism and outcome");
    }

    public void Connected(string listener) => _connections.Add(1, new KeyValuePair<string, object?>("listener", listener));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void SessionStarted() => _active.Add(1);

    public void SessionEnded(TimeSpan duration)
    {
        _active.Add(-1);
        _sessionDuration.Record(duration.TotalSeconds);
    }

    public void Replied(int code) => _replies.Add(1, new KeyValuePair<string, object?>("code", code.ToString("D3")));

    /// <param name="mechanism">An offered mechanism, or "other" for anything else, so a client cannot grow the tag set.</param>
    /// <param name="result">success, failure, tempfail, cancelled or error (refused before credentials were checked).</param>
    public void AuthAttempted(string mechanism, string result) =>
        _authAttempts.Add(1, new KeyValuePair<string, object?>("mechanism", mechanism), new KeyValuePair<string, object?>("result", result));

    public void Received(long bytes)
    {
        if (bytes > 0)
        {
            _bytesReceived.Add(bytes);
        }
    }

    public void Dispose() => _meter.Dispose();
}
