using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Moat.Accounts.Accounts;
using Moat.Pipeline;
using Moat.Queue.Spool;
using Moat.Smtp.Protocol;
using Moat.Smtp.Server;

namespace Moat.Cli.Hosting;

/// <summary>
/// Joins one SMTP session to the pipeline and the queue: each protocol hook becomes a pipeline
/// stage, and an accepting verdict at the end of data becomes a durable commit before 250.
/// The handler decides nothing itself; it translates verdicts into replies.
/// </summary>
internal sealed partial class GatewaySessionHandler : ISmtpSessionHandler
{
    private readonly ISmtpSession session;
    private readonly GatewayServices services;
    private readonly TransactionContext context;
    private IMessageWriter? message;
    private string? holdReason;

    public GatewaySessionHandler(ISmtpSession session, GatewayServices services)
    {
        this.session = session;
        this.services = services;
        var role = services.ListenerRoles.GetValueOrDefault(session.ListenerName, ListenerRole.Inbound);
        context = new TransactionContext(session.RemoteEndPoint.Address, session.ListenerName, role);
    }

    public async ValueTask<SmtpReply?> OnConnectAsync(CancellationToken cancellationToken) =>
        await RunStageAsync(PipelineStage.Connect, cancellationToken);

    public async ValueTask<SmtpReply?> OnHeloAsync(string domain, CancellationToken cancellationToken)
    {
        context.HeloName = domain;
        return await RunStageAsync(PipelineStage.Helo, cancellationToken);
    }

    public async ValueTask<SmtpReply?> OnMailFromAsync(MailFromRequest request, CancellationToken cancellationToken)
    {
        context.MailFrom = request;
        var reply = await RunStageAsync(PipelineStage.Mail, cancellationToken);
        if (reply is not null)
        {
            context.MailFrom = null;
        }

        return reply;
    }

    public async ValueTask<SmtpReply?> OnRcptToAsync(RcptToRequest request, CancellationToken cancellationToken)
    {
        context.CurrentRecipient = request;
        try
        {
            var reply = await RunStageAsync(PipelineStage.Rcpt, cancellationToken);
            if (reply is null)
            {
                context.AddRecipient(request);
            }
            else
            {
                LogRecipientRefused(services.Logger, session.Id, context.ClientAddress, context.MailFrom?.Path.ToString() ?? "?", request.Path.ToString(), reply.ToString());
            }

            return reply;
        }
        finally
        {
            context.CurrentRecipient = null;
        }
    }

    public async ValueTask<SmtpReply> OnAuthenticateAsync(SmtpCredentials credentials, CancellationToken cancellationToken)
    {
        var result = await services.Accounts.VerifyAsync(credentials.UserName, credentials.Password, context.ClientAddress, cancellationToken);
        return result.Outcome switch
        {
            LoginOutcome.Success when result.PasswordTooPopular => new SmtpReply(235, "2.7.0", "Authentication successful; too many accounts now use your password, please change it"),
            LoginOutcome.Success => SmtpReplies.AuthenticationSucceeded,
            LoginOutcome.TooManyAttempts => new SmtpReply(454, "4.7.0", "Too many failed logins from your network; try again later"),

            // Locked and unknown accounts get the same answer as a wrong password: no account enumeration.
            _ => SmtpReplies.AuthenticationFailed,
        };
    }

    public async ValueTask<Stream> BeginMessageAsync(CancellationToken cancellationToken)
    {
        message = await services.Spool.CreateAsync(cancellationToken);
        var received = Encoding.UTF8.GetBytes(ReceivedHeader(message.Id));
        await message.Content.WriteAsync(received, cancellationToken);
        return message.Content;
    }

    public async ValueTask<SmtpReply> CompleteMessageAsync(long size, CancellationToken cancellationToken)
    {
        var writer = message ?? throw new InvalidOperationException("CompleteMessageAsync without BeginMessageAsync.");
        var started = services.Clock.GetTimestamp();
        string verdictName;
        SmtpReply reply;
        try
        {
            context.MessageSize = size;
            context.OpenContent = writer.OpenContentForReadAsync;
            var result = await services.Pipeline.RunAsync(PipelineStage.Content, context, cancellationToken);
            var verdict = result.Verdict;
            switch (verdict.Kind)
            {
                case VerdictKind.TempFail or VerdictKind.Reject:
                    await writer.AbortAsync();
                    verdictName = verdict.Kind == VerdictKind.Reject ? "reject" : "tempfail";
                    reply = verdict.Reply!;
                    break;
                case VerdictKind.Discard:
                    // The message was for Moat itself (a challenge reply) and has been acted on.
                    await writer.AbortAsync();
                    verdictName = "discard";
                    reply = new SmtpReply(250, "2.0.0", "OK");
                    break;
                case VerdictKind.Hold or VerdictKind.Quarantine:
                    writer = await AddHeadersAsync(writer, cancellationToken);
                    await writer.CommitAsync(CreateEnvelope(verdict.Reason), QueueState.Hold, cancellationToken);
                    verdictName = "hold";
                    reply = new SmtpReply(250, "2.0.0", $"OK queued as {writer.Id}");
                    break;
                default:
                    writer = await AddHeadersAsync(writer, cancellationToken);
                    var target = holdReason is null ? QueueState.Incoming : QueueState.Hold;
                    await writer.CommitAsync(CreateEnvelope(holdReason), target, cancellationToken);
                    verdictName = target == QueueState.Hold ? "hold" : "accept";
                    reply = new SmtpReply(250, "2.0.0", $"OK queued as {writer.Id}");
                    break;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Disk full, spool folder gone: our fault, so the client keeps the message and retries.
            LogCommitFailed(services.Logger, exception, writer.Id);
            await writer.AbortAsync();
            verdictName = "error";
            reply = new SmtpReply(451, "4.3.0", "Requested action aborted: local error in processing");
        }

        var elapsed = services.Clock.GetElapsedTime(started);
        services.Metrics.Transaction(verdictName, elapsed);
        LogTransaction(
            services.Logger,
            writer.Id,
            context.ClientAddress,
            session.ListenerName,
            context.MailFrom?.Path.ToString() ?? "<>",
            context.Recipients.Count,
            size,
            verdictName,
            reply.ToString(),
            elapsed.TotalMilliseconds);
        message = null;
        return reply;
    }

    /// <summary>
    /// Writes the header fields filters asked for in front of the received message. The content
    /// is already on disk, so a tagged message is copied once into a new spool file: tags are
    /// rare (they mark viruses let through on purpose), and a filter never edits content itself.
    /// </summary>
    private async ValueTask<IMessageWriter> AddHeadersAsync(IMessageWriter writer, CancellationToken cancellationToken)
    {
        if (context.AddedHeaders.Count == 0)
        {
            return writer;
        }

        var tagged = await services.Spool.CreateAsync(cancellationToken);
        try
        {
            var headers = string.Concat(context.AddedHeaders.Select(h => $"{h.Key}: {h.Value}\r\n"));
            await tagged.Content.WriteAsync(Encoding.UTF8.GetBytes(headers), cancellationToken);
            await using (var content = await writer.OpenContentForReadAsync(cancellationToken))
            {
                await content.CopyToAsync(tagged.Content, cancellationToken);
            }

            await writer.AbortAsync();
            message = tagged;
            return tagged;
        }
        catch
        {
            await tagged.AbortAsync();
            throw;
        }
    }

    public async ValueTask AbortMessageAsync()
    {
        if (message is not null)
        {
            await message.AbortAsync();
            message = null;
        }
    }

    public void OnReset()
    {
        context.Reset();
        holdReason = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (message is not null)
        {
            await message.DisposeAsync();
            message = null;
        }
    }

    private async ValueTask<SmtpReply?> RunStageAsync(PipelineStage stage, CancellationToken cancellationToken)
    {
        context.IsSecure = session.IsSecure;
        context.AuthenticatedUser = session.AuthenticatedUser;
        var result = await services.Pipeline.RunAsync(stage, context, cancellationToken);
        var verdict = result.Verdict;
        switch (verdict.Kind)
        {
            case VerdictKind.TempFail or VerdictKind.Reject:
                services.Metrics.Refusal(stage.ToString(), verdict.Reply!.Code);
                return verdict.Reply;
            case VerdictKind.Hold or VerdictKind.Quarantine:
                // Decided before the content: the message is still received, then kept for an operator.
                holdReason ??= verdict.Reason;
                return null;
            default:
                return null;
        }
    }

    private Envelope CreateEnvelope(string? reason)
    {
        var mailFrom = context.MailFrom ?? throw new InvalidOperationException("A message without MAIL FROM.");
        return new Envelope
        {
            Sender = mailFrom.Path.Address,
            Recipients = context.Recipients.Select(r => new EnvelopeRecipient
            {
                Address = r.Path.Address,
                Notify = r.Notify,
                OriginalRecipient = r.OriginalRecipient,
            }).ToList(),
            Ret = mailFrom.DsnReturn,
            EnvelopeId = mailFrom.EnvelopeId,
            ClientAddress = context.ClientAddress.ToString(),
            HeloName = context.HeloName,
            Listener = session.ListenerName,
            ReceivedAt = services.Clock.GetUtcNow(),
            LastError = reason is null ? null : "held: " + reason,
        };
    }

    /// <summary>RFC 5321 §4.4 trace header. It names our host, never our software.</summary>
    private string ReceivedHeader(string queueId)
    {
        var protocol = (session.IsExtended, session.IsSecure) switch
        {
            (_, true) => "ESMTPS",
            (true, false) => "ESMTP",
            _ => "SMTP",
        };
        var helo = string.IsNullOrEmpty(session.HeloName) ? "unknown" : session.HeloName;
        var client = context.ClientAddress;
        var literal = client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6:" + client : client.ToString();
        var builder = new StringBuilder();
        builder.Append("Received: from ").Append(helo).Append(" ([").Append(literal).Append("])\r\n");
        builder.Append("\tby ").Append(services.HostName).Append(" with ").Append(protocol).Append(" id ").Append(queueId);
        if (context.Recipients.Count == 1)
        {
            builder.Append("\r\n\tfor <").Append(context.Recipients[0].Path.Address).Append('>');
        }

        var now = services.Clock.GetUtcNow();
        builder.Append("; ").Append(now.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)).Append(" +0000\r\n");
        return builder.ToString();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "transaction id={QueueId} client={Client} listener={Listener} from={Sender} rcpts={Recipients} size={Size} verdict={Verdict} reply=\"{Reply}\" ms={Milliseconds:0.0}")]
    private static partial void LogTransaction(ILogger logger, string queueId, System.Net.IPAddress client, string listener, string sender, int recipients, long size, string verdict, string reply, double milliseconds);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "refused session={Session} client={Client} from={Sender} to={Recipient} reply=\"{Reply}\"")]
    private static partial void LogRecipientRefused(ILogger logger, string session, System.Net.IPAddress client, string sender, string recipient, string reply);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Could not queue message {QueueId}; answered 451 4.3.0")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, string queueId);
}
