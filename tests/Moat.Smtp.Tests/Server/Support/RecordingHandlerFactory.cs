using System.Collections.Concurrent;
using Moat.Smtp.Protocol;
using Moat.Smtp.Server;

namespace Moat.Smtp.Tests.Server.Support;

/// <summary>
/// Creates <see cref="RecordingHandler"/>s and holds the scripted policy they follow. The default
/// policy accepts everything except recipients whose local part starts with "unknown" (550) and
/// addresses whose local part is "throw" (the hook throws). AUTH checks <see cref="Users"/>; the
/// user "busy" gets 454 (a spraying guard holding the account) and "throw" makes the hook throw.
/// </summary>
public sealed class RecordingHandlerFactory : ISmtpSessionHandlerFactory
{
    private readonly ConcurrentQueue<RecordingHandler> _handlers = new();

    public Func<ISmtpSession, CancellationToken, ValueTask<SmtpReply?>> Connect { get; set; } =
        (_, _) => ValueTask.FromResult<SmtpReply?>(null);

    public Func<MailFromRequest, SmtpReply?> Mail { get; set; } = request =>
        request.Path.LocalPart == "throw" ? throw new InvalidOperationException("policy failed") : null;

    public Func<RcptToRequest, SmtpReply?> Rcpt { get; set; } = request =>
        request.Path.LocalPart == "throw" ? throw new InvalidOperationException("policy failed")
        : request.Path.LocalPart.StartsWith("unknown", StringComparison.Ordinal) ? new SmtpReply(550, "5.1.1", "User unknown")
        : null;

    /// <summary>The fixed user table: name → password.</summary>
    public static IReadOnlyDictionary<string, string> Users { get; } = new Dictionary<string, string>
    {
        ["alice"] = "wonderland",
        ["jürgen"] = "pässwört",
    };

    public Func<SmtpCredentials, SmtpReply> Authenticate { get; set; } = credentials => credentials.UserName switch
    {
        "throw" => throw new InvalidOperationException("directory down"),
        "busy" => new SmtpReply(454, "4.7.0", "Temporary authentication failure"),
        var user => Users.TryGetValue(user, out var password) && password == credentials.Password
            ? SmtpReplies.AuthenticationSucceeded
            : SmtpReplies.AuthenticationFailed,
    };

    public Func<Stream> Begin { get; set; } = () => new MemoryStream();

    public Func<byte[], SmtpReply> Complete { get; set; } = _ => new SmtpReply(250, "2.0.0", "OK queued");

    public IReadOnlyCollection<RecordingHandler> Handlers => _handlers;

    /// <summary>The first handler created (most tests open one connection).</summary>
    public RecordingHandler Single => _handlers.TryPeek(out var handler) ? handler : throw new InvalidOperationException("No session yet.");

    /// <summary>The handler of the session that <paramref name="client"/> is talking to.</summary>
    public RecordingHandler For(RawSmtpClient client) =>
        _handlers.Single(h => h.Session.RemoteEndPoint.Equals(client.LocalEndPoint));

    public ISmtpSessionHandler Create(ISmtpSession session)
    {
        var handler = new RecordingHandler(this, session);
        _handlers.Enqueue(handler);
        return handler;
    }
}
