using Moat.Smtp.Protocol;
using Moat.Smtp.Server;

namespace Moat.Smtp.Tests.Server.Support;

/// <summary>An in-memory session handler that records every call and keeps completed messages.</summary>
public sealed class RecordingHandler(RecordingHandlerFactory policy, ISmtpSession session) : ISmtpSessionHandler
{
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly List<byte[]> _messages = [];
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Stream? _current;

    public ISmtpSession Session { get; } = session;

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<byte[]> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Completes when the server has disposed the handler, i.e. the session is over; fails a test that would hang.</summary>
    public Task Disposed => _disposed.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public ValueTask<SmtpReply?> OnConnectAsync(CancellationToken cancellationToken)
    {
        Record("connect");
        return policy.Connect(Session, cancellationToken);
    }

    public ValueTask<SmtpReply?> OnHeloAsync(string domain, CancellationToken cancellationToken)
    {
        Record($"helo {domain}");
        return ValueTask.FromResult<SmtpReply?>(null);
    }

    public ValueTask<SmtpReply?> OnMailFromAsync(MailFromRequest request, CancellationToken cancellationToken)
    {
        Record($"mail {request.Path}");
        return ValueTask.FromResult(policy.Mail(request));
    }

    public ValueTask<SmtpReply?> OnRcptToAsync(RcptToRequest request, CancellationToken cancellationToken)
    {
        Record($"rcpt {request.Path}");
        return ValueTask.FromResult(policy.Rcpt(request));
    }

    public ValueTask<SmtpReply> OnAuthenticateAsync(SmtpCredentials credentials, CancellationToken cancellationToken)
    {
        // The password is not recorded: tests check that it never needs to be.
        Record($"auth {credentials.Mechanism} {credentials.UserName}");
        return ValueTask.FromResult(policy.Authenticate(credentials));
    }

    public ValueTask<Stream> BeginMessageAsync(CancellationToken cancellationToken)
    {
        Record("begin");
        _current = policy.Begin();
        return ValueTask.FromResult(_current);
    }

    public ValueTask<SmtpReply> CompleteMessageAsync(long size, CancellationToken cancellationToken)
    {
        Record($"complete {size}");
        var content = _current is MemoryStream memory ? memory.ToArray() : [];
        lock (_lock)
        {
            _messages.Add(content);
        }

        _current = null;
        return ValueTask.FromResult(policy.Complete(content));
    }

    public ValueTask AbortMessageAsync()
    {
        Record("abort");
        _current = null;
        return ValueTask.CompletedTask;
    }

    public void OnReset() => Record("reset");

    public ValueTask DisposeAsync()
    {
        Record("dispose");
        _disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private void Record(string e)
    {
        lock (_lock)
        {
            _events.Add(e);
        }
    }
}
