using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Moat.Smtp.Protocol;

namespace Moat.Smtp.Server;

/// <summary>
/// One SMTP conversation: reads commands, checks them against <see cref="SmtpStateTable"/>,
/// enforces the protocol limits and asks the handler at each stage. It decides nothing beyond
/// the limits; every handler fault becomes 451 so a local problem never passes mail unchecked.
/// </summary>
internal sealed class SmtpSession : ISmtpSession
{
    private const int ScratchSize = 16 * 1024;

    // LOGIN's prompts (draft-murchison-sasl-login): base64 of "Username:" and "Password:".
    private const string LoginUserChallenge = "VXNlcm5hbWU6";
    private const string LoginPasswordChallenge = "UGFzc3dvcmQ6";

    // A mechanism tag for metrics when the client names one we do not offer (or none).
    private const string OtherMechanism = "other";

    private static readonly SmtpParseResult LineTooLongResult = SmtpParseResult.Failure(SmtpVerb.Unknown, SmtpReplies.LineTooLong);

    private readonly SmtpServerOptions _options;
    private readonly SmtpListenerOptions _listener;
    private readonly ISmtpSessionHandlerFactory _factory;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly SmtpMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SmtpConnection _connection;
    private readonly SmtpLineReader _lineReader;
    private readonly CancellationToken _stopping;
    private readonly CancellationToken _abort;
    private readonly List<RcptToRequest> _recipients = [];
    private readonly IReadOnlyList<string> _mechanisms;
    private readonly Func<ReadOnlySequence<byte>, SmtpParseResult> _parseLine;
    private readonly Func<ReadOnlySequence<byte>, SaslResponse> _decodeResponse;

    private ISmtpSessionHandler? _handler;
    private SmtpState _state = SmtpState.Connected;
    private int _errors;

    // The open message, between BeginMessageAsync and Complete/AbortMessageAsync.
    private Stream? _messageStream;
    private bool _messageOpen;
    private long _messageSize;
    private bool _messageTooLarge;
    private bool _messageBareLineEnding;
    private bool _messageWriteFailed;

    /// <param name="stopping">Graceful stop: answer 421 at the next command boundary.</param>
    /// <param name="abort">Hard stop: drop the connection now.</param>
    public SmtpSession(
        Socket socket,
        SmtpServerOptions options,
        SmtpListenerOptions listener,
        ISmtpSessionHandlerFactory factory,
        SslStreamCertificateContext? certificate,
        SmtpMetrics metrics,
        ILogger logger,
        CancellationToken stopping,
        CancellationToken abort)
    {
        _options = options;
        _listener = listener;
        _factory = factory;
        _certificate = certificate;
        _metrics = metrics;
        _logger = logger;
        _stopping = stopping;
        _abort = abort;
        _mechanisms = [.. listener.AuthenticationMechanisms.Select(m => m.ToUpperInvariant()).Distinct()];
        _lineReader = new SmtpLineReader(options.MaxCommandLineLength, _mechanisms.Count > 0 ? SmtpLineReader.AuthLineLength : 0);
        _parseLine = Parse;
        _decodeResponse = line => SaslDecoder.DecodeResponse(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _connection = new SmtpConnection(socket, metrics, options.CommandTimeout);
    }

    public string Id { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public string ListenerName => _listener.Name;

    public string? HeloName { get; private set; }

    public bool IsExtended { get; private set; }

    public bool IsSecure { get; private set; }

    public SslProtocols TlsProtocol { get; private set; }

    public string? TlsCipher { get; private set; }

    public string? AuthenticatedUser { get; private set; }

    public MailFromRequest? MailFrom { get; private set; }

    public IReadOnlyList<RcptToRequest> Recipients => _recipients;

    private string HostName => _options.HostName;

    // RFC 4954 §4 and RFC 8314: a password is never invited over a clear connection.
    private bool AuthAdvertised => _mechanisms.Count > 0 && IsSecure;

    /// <summary>Runs the session to its end. Never throws: a failing session must not affect any other.</summary>
    /// <param name="closing">
    /// Called once the dialogue is over, before the connection is closed. The connection limits
    /// are released here: closing politely can take a moment, and a client that reconnects as
    /// soon as it reads our last reply must not find its own finished session still counted.
    /// </param>
    public async Task RunAsync(Action closing)
    {
        var started = Stopwatch.GetTimestamp();
        _metrics.SessionStarted();
        _logger.LogDebug("Session {Session} connected from {Remote} on {Listener}", Id, RemoteEndPoint, ListenerName);
        try
        {
            await RunProtocolAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDisconnect(ex))
        {
            _logger.LogDebug("Session {Session} ended: {Reason}", Id, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Session {Session} failed", Id);
        }
        finally
        {
            await AbortMessageAsync().ConfigureAwait(false);
            await DisposeHandlerAsync().ConfigureAwait(false);
            closing();
            try
            {
                await _connection.CloseAsync(_abort).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsDisconnect(ex))
            {
                // Closing a dead connection can fail; it is closed either way.
            }

            _metrics.SessionEnded(Stopwatch.GetElapsedTime(started));
            _logger.LogDebug("Session {Session} disconnected", Id);
        }
    }

    private async Task RunProtocolAsync()
    {
        if (_listener.ImplicitTls && !await TryStartTlsAsync().ConfigureAwait(false))
        {
            return;
        }

        try
        {
            _handler = _factory.Create(this);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Session {Session}: handler creation failed", Id);
            await EndWithAsync(SmtpReplies.LocalProblem).ConfigureAwait(false);
            return;
        }

        var (faulted, reply) = await CallAsync((h, ct) => h.OnConnectAsync(ct), "connect").ConfigureAwait(false);
        if (faulted)
        {
            await EndWithAsync(SmtpReplies.LocalProblem).ConfigureAwait(false);
            return;
        }

        if (reply is { IsPositive: false })
        {
            _metrics.Rejected("connect_policy");
            await EndWithAsync(reply).ConfigureAwait(false);
            return;
        }

        if (!await PassesPregreetAsync().ConfigureAwait(false))
        {
            return;
        }

        _connection.Queue(reply ?? new SmtpReply(220, null, _options.Greeting ?? $"{HostName} ESMTP"));
        await CommandLoopAsync().ConfigureAwait(false);
    }

    // Postscreen's test: a real SMTP client waits for the greeting; spamware often does not.
    private async Task<bool> PassesPregreetAsync()
    {
        if (_listener.PregreetWait > TimeSpan.Zero)
        {
            _connection.QueueRaw($"220-{HostName}");
            await _connection.FlushAsync(_abort).ConfigureAwait(false);
            await Task.Delay(_listener.PregreetWait, _abort).ConfigureAwait(false);
        }

        if (!_connection.HasPendingInput())
        {
            return true;
        }

        _metrics.Rejected("pregreet");
        _logger.LogInformation("Session {Session}: client {Remote} talked before the greeting", Id, RemoteEndPoint.Address);
        await EndWithAsync(SmtpReplies.ProtocolError).ConfigureAwait(false);
        return false;
    }

    private async Task CommandLoopAsync()
    {
        while (true)
        {
            if (_stopping.IsCancellationRequested)
            {
                await EndWithAsync(SmtpReplies.ShuttingDown).ConfigureAwait(false);
                return;
            }

            var parsed = await ReadCommandAsync().ConfigureAwait(false);
            if (parsed is null || !await ExecuteAsync(parsed).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Reads the next command line; null when the session has ended (closed, timed out, stopping).</summary>
    private Task<SmtpParseResult?> ReadCommandAsync() => ReadLineAsync(_parseLine, LineTooLongResult, authResponse: false);

    /// <summary>
    /// Reads the next line and hands it to <paramref name="decode"/> while its bytes are still in
    /// the buffer; <paramref name="tooLong"/> stands for a line over the bound. Null when the
    /// session has ended (closed, timed out, stopping).
    /// </summary>
    private async Task<T?> ReadLineAsync<T>(Func<ReadOnlySequence<byte>, T> decode, T tooLong, bool authResponse)
        where T : class
    {
        // One deadline for the whole line: trickling a byte at a time does not extend it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_abort, _stopping);
        deadline.CancelAfter(_options.CommandTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _connection.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
            {
                var stopping = _stopping.IsCancellationRequested;
                if (!stopping)
                {
                    _logger.LogInformation("Session {Session}: command timeout", Id);
                }

                await EndWithAsync(stopping ? SmtpReplies.ShuttingDown : SmtpReplies.Timeout(HostName)).ConfigureAwait(false);
                return null;
            }

            var buffer = result.Buffer;
            var status = _lineReader.TryRead(ref buffer, out var line, authResponse);
            if (status == SmtpLineStatus.Line)
            {
                var decoded = decode(line);
                _connection.AdvanceTo(result.Buffer, buffer.Start, buffer.Start);
                return decoded;
            }

            if (status == SmtpLineStatus.TooLong)
            {
                _connection.AdvanceTo(result.Buffer, buffer.Start, buffer.Start);
                return tooLong;
            }

            _connection.AdvanceTo(result.Buffer, buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private SmtpParseResult Parse(ReadOnlySequence<byte> line) =>
        SmtpCommandParser.Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), MailFrom?.SmtpUtf8 == true, AuthAdvertised);

    /// <summary>Runs one command; false when the session must end.</summary>
    private async Task<bool> ExecuteAsync(SmtpParseResult parsed)
    {
        if (parsed.Verb == SmtpVerb.Unknown)
        {
            return await ReplyAsync(parsed.Error!).ConfigureAwait(false);
        }

        if (parsed.Verb == SmtpVerb.Auth)
        {
            return await AuthAsync(parsed).ConfigureAwait(false);
        }

        if (!SmtpStateTable.TryGetNext(_state, parsed.Verb, out var next))
        {
            // The chunk follows the command whatever we answer; it must not be read as commands.
            if (parsed.Command is BdatCommand refused && !await ReceiveChunkAsync(refused.Size, store: false).ConfigureAwait(false))
            {
                return false;
            }

            return await ReplyAsync(SmtpReplies.BadSequence).ConfigureAwait(false);
        }

        if (parsed.Error is not null)
        {
            return await ReplyAsync(parsed.Error).ConfigureAwait(false);
        }

        switch (parsed.Command)
        {
            case HeloCommand helo:
                return await HeloAsync(helo).ConfigureAwait(false);
            case MailCommand mail:
                return await MailAsync(mail.Request).ConfigureAwait(false);
            case RcptCommand rcpt:
                return await RcptAsync(rcpt.Request).ConfigureAwait(false);
            case BdatCommand bdat:
                return await BdatAsync(bdat).ConfigureAwait(false);
        }

        switch (parsed.Verb)
        {
            case SmtpVerb.Data:
                return await DataAsync().ConfigureAwait(false);
            case SmtpVerb.Rset:
                await ResetTransactionAsync().ConfigureAwait(false);
                _state = next;
                return await ReplyAsync(SmtpReplies.Ok).ConfigureAwait(false);
            case SmtpVerb.Quit:
                await EndWithAsync(SmtpReplies.Bye).ConfigureAwait(false);
                return false;
            case SmtpVerb.StartTls:
                return await StartTlsAsync().ConfigureAwait(false);
            case SmtpVerb.Vrfy:
                return await ReplyAsync(SmtpReplies.CannotVrfy).ConfigureAwait(false);
            case SmtpVerb.Expn:
                return await ReplyAsync(SmtpReplies.NotImplemented).ConfigureAwait(false);
            case SmtpVerb.Help:
                return await ReplyAsync(SmtpReplies.Help).ConfigureAwait(false);
            default:
                return await ReplyAsync(SmtpReplies.Ok).ConfigureAwait(false);
        }
    }

    private async Task<bool> HeloAsync(HeloCommand helo)
    {
        // RFC 5321 §4.1.4: a new EHLO/HELO ends any transaction, as RSET would.
        await ResetTransactionAsync().ConfigureAwait(false);
        var (faulted, reply) = await CallAsync((h, ct) => h.OnHeloAsync(helo.Domain, ct), "helo").ConfigureAwait(false);
        if (faulted)
        {
            return await ReplyAsync(SmtpReplies.LocalProblem, clientFault: false).ConfigureAwait(false);
        }

        if (reply is { IsPositive: false })
        {
            return await ReplyAsync(reply).ConfigureAwait(false);
        }

        HeloName = helo.Domain;
        IsExtended = helo.IsExtended;
        _state = SmtpState.Ready;
        return await ReplyAsync(reply ?? (IsExtended ? EhloReply() : new SmtpReply(250, null, HostName))).ConfigureAwait(false);
    }

    private SmtpReply EhloReply()
    {
        List<string> lines = [HostName, "PIPELINING", $"SIZE {_options.MaxMessageSize}"];
        if (_certificate is not null && !IsSecure)
        {
            lines.Add("STARTTLS");
        }

        if (AuthAdvertised)
        {
            lines.Add("AUTH " + string.Join(' ', _mechanisms));
        }

        lines.AddRange(["ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"]);
        return new SmtpReply(250, null, lines);
    }

    private async Task<bool> MailAsync(MailFromRequest request)
    {
        if (request.DeclaredSize > _options.MaxMessageSize)
        {
            return await ReplyAsync(SmtpReplies.MessageTooLarge).ConfigureAwait(false);
        }

        var (faulted, reply) = await CallAsync((h, ct) => h.OnMailFromAsync(request, ct), "mail").ConfigureAwait(false);
        if (faulted)
        {
            return await ReplyAsync(SmtpReplies.LocalProblem, clientFault: false).ConfigureAwait(false);
        }

        if (reply is { IsPositive: false })
        {
            return await ReplyAsync(reply).ConfigureAwait(false);
        }

        MailFrom = request;
        _state = SmtpState.MailGiven;
        return await ReplyAsync(reply ?? SmtpReplies.MailOk).ConfigureAwait(false);
    }

    private async Task<bool> RcptAsync(RcptToRequest request)
    {
        if (_recipients.Count >= _options.MaxRecipients)
        {
            return await ReplyAsync(SmtpReplies.TooManyRecipients).ConfigureAwait(false);
        }

        var (faulted, reply) = await CallAsync((h, ct) => h.OnRcptToAsync(request, ct), "rcpt").ConfigureAwait(false);
        if (faulted)
        {
            return await ReplyAsync(SmtpReplies.LocalProblem, clientFault: false).ConfigureAwait(false);
        }

        if (reply is { IsPositive: false })
        {
            return await ReplyAsync(reply).ConfigureAwait(false);
        }

        _recipients.Add(request);
        _state = SmtpState.RcptGiven;
        return await ReplyAsync(reply ?? SmtpReplies.RcptOk).ConfigureAwait(false);
    }

    private async Task<bool> DataAsync()
    {
        if (_recipients.Count == 0)
        {
            return await ReplyAsync(SmtpReplies.NoValidRecipients).ConfigureAwait(false);
        }

        if (!await BeginMessageAsync().ConfigureAwait(false))
        {
            await ResetTransactionAsync().ConfigureAwait(false);
            return await ReplyAsync(SmtpReplies.LocalProblem, clientFault: false).ConfigureAwait(false);
        }

        _connection.Queue(SmtpReplies.StartData);
        return await ReceiveDataAsync().ConfigureAwait(false) && await FinishMessageAsync().ConfigureAwait(false);
    }

    private async Task<bool> BdatAsync(BdatCommand bdat)
    {
        if (_recipients.Count == 0)
        {
            return await ReceiveChunkAsync(bdat.Size, store: false).ConfigureAwait(false)
                && await ReplyAsync(SmtpReplies.NoValidRecipients).ConfigureAwait(false);
        }

        if (!_messageOpen && !await BeginMessageAsync().ConfigureAwait(false))
        {
            if (!await ReceiveChunkAsync(bdat.Size, store: false).ConfigureAwait(false))
            {
                return false;
            }

            await ResetTransactionAsync().ConfigureAwait(false);
            return await ReplyAsync(SmtpReplies.LocalProblem, clientFault: false).ConfigureAwait(false);
        }

        if (!await ReceiveChunkAsync(bdat.Size, store: true).ConfigureAwait(false))
        {
            return false;
        }

        if (bdat.IsLast || _messageTooLarge || _messageWriteFailed)
        {
            return await FinishMessageAsync().ConfigureAwait(false);
        }

        _state = SmtpState.Chunking;
        return await ReplyAsync(SmtpReplies.ChunkReceived(bdat.Size)).ConfigureAwait(false);
    }

    private async Task<bool> StartTlsAsync()
    {
        if (_certificate is null)
        {
            return await ReplyAsync(SmtpReplies.NotImplemented).ConfigureAwait(false);
        }

        if (IsSecure)
        {
            return await ReplyAsync(SmtpReplies.BadSequence).ConfigureAwait(false);
        }

        // RFC 3207 forbids pipelining past STARTTLS; such bytes are an injection attempt
        // (CVE-2011-0411), so they are never executed: the connection is closed instead.
        if (_connection.HasPendingInput())
        {
            _logger.LogInformation("Session {Session}: data pipelined after STARTTLS", Id);
            await EndWithAsync(SmtpReplies.ProtocolError).ConfigureAwait(false);
            return false;
        }

        _connection.Queue(SmtpReplies.ReadyToStartTls);
        await _connection.FlushAsync(_abort).ConfigureAwait(false);
        if (!await TryStartTlsAsync().ConfigureAwait(false))
        {
            return false;
        }

        // RFC 3207 §4.2: forget everything learnt before TLS, the client must EHLO again.
        await ResetTransactionAsync().ConfigureAwait(false);
        HeloName = null;
        IsExtended = false;
        AuthenticatedUser = null;
        _state = SmtpState.Connected;
        return true;
    }

    /// <summary>
    /// AUTH (RFC 4954): checks the moment, runs the mechanism's exchange, and asks the handler
    /// about credentials of the right form. Every outcome is counted once in the metrics.
    /// </summary>
    private async Task<bool> AuthAsync(SmtpParseResult parsed)
    {
        // A listener without mechanisms does not speak AUTH, at any moment: the reply of an
        // unimplemented command (as STARTTLS without a certificate), not 503, which would tell
        // the client that a later attempt might work.
        if (_mechanisms.Count == 0)
        {
            return await ReplyAsync(SmtpReplies.NotImplemented).ConfigureAwait(false);
        }

        var command = parsed.Command as AuthCommand;
        var mechanism = command is not null && _mechanisms.Contains(command.Mechanism) ? command.Mechanism : OtherMechanism;
        var refusal =
            !SmtpStateTable.TryGetNext(_state, SmtpVerb.Auth, out _) || !IsExtended ? SmtpReplies.BadSequence
            : !IsSecure ? SmtpReplies.AuthenticationNeedsEncryption
            : AuthenticatedUser is not null ? SmtpReplies.AlreadyAuthenticated
            : parsed.Error ?? (mechanism == OtherMechanism ? SmtpReplies.UnrecognizedAuthenticationType : null);
        if (refusal is not null)
        {
            _metrics.AuthAttempted(mechanism, "error");
            return await ReplyAsync(refusal).ConfigureAwait(false);
        }

        var (ended, response, credentials, authorizationId) = mechanism == "PLAIN"
            ? await PlainExchangeAsync(command!.InitialResponse).ConfigureAwait(false)
            : await LoginExchangeAsync(command!.InitialResponse).ConfigureAwait(false);
        if (ended)
        {
            return false;
        }

        if (credentials is null)
        {
            var (reply, result) = response!.Kind switch
            {
                SaslResponseKind.Cancelled => (SmtpReplies.AuthenticationCancelled, "cancelled"),
                SaslResponseKind.TooLong => (SmtpReplies.LineTooLong, "error"),
                _ => (SmtpReplies.CannotDecodeResponse, "error"),
            };
            _metrics.AuthAttempted(mechanism, result);
            return await ReplyAsync(reply).ConfigureAwait(false);
        }

        // RFC 4616 §2: acting as another identity must be allowed explicitly, and nothing here
        // can allow it. Refused without asking the handler: no password is tried, so there is
        // nothing to learn, and the words are those of a bad password.
        if (authorizationId is { Length: > 0 } && !string.Equals(authorizationId, credentials.UserName, StringComparison.Ordinal))
        {
            _logger.LogInformation("Session {Session}: AUTH for {User} asked to act as another identity", Id, credentials.UserName);
            _metrics.AuthAttempted(mechanism, "failure");
            return await ReplyAsync(SmtpReplies.AuthenticationFailed).ConfigureAwait(false);
        }

        return await CheckCredentialsAsync(credentials).ConfigureAwait(false);
    }

    private async Task<bool> CheckCredentialsAsync(SmtpCredentials credentials)
    {
        SmtpReply? reply;
        try
        {
            reply = await _handler!.OnAuthenticateAsync(credentials, _abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Session {Session}: handler failed at auth", Id);
            reply = null;
        }

        // Only 235 means "in". Another positive code (a 334 would even start a new round of an
        // exchange the server is not running) is a handler bug, and a bug must not let anyone in.
        if (reply is null || (reply.IsPositive && reply.Code != 235))
        {
            if (reply is not null)
            {
                _logger.LogWarning("Session {Session}: handler answered AUTH with {Code}; refusing", Id, reply.Code);
            }

            _metrics.AuthAttempted(credentials.Mechanism, "tempfail");
            return await ReplyAsync(SmtpReplies.AuthenticationUnavailable, clientFault: false).ConfigureAwait(false);
        }

        if (reply.Code == 235)
        {
            AuthenticatedUser = credentials.UserName;
            _metrics.AuthAttempted(credentials.Mechanism, "success");
            _logger.LogInformation("Session {Session}: authenticated as {User} with {Mechanism}", Id, credentials.UserName, credentials.Mechanism);
            return await ReplyAsync(reply).ConfigureAwait(false);
        }

        _metrics.AuthAttempted(credentials.Mechanism, reply.IsTransient ? "tempfail" : "failure");
        _logger.LogInformation(
            "Session {Session}: AUTH {Mechanism} for {User} from {Remote} refused: {Reply}", Id, credentials.Mechanism, credentials.UserName, RemoteEndPoint.Address, reply);
        return await ReplyAsync(reply).ConfigureAwait(false);
    }

    // RFC 4616: one response, "[authzid] NUL authcid NUL passwd", sent with AUTH or after "334 ".
    private async Task<(bool Ended, SaslResponse? Response, SmtpCredentials? Credentials, string? AuthorizationId)> PlainExchangeAsync(
        SaslResponse? initialResponse)
    {
        var response = await NextResponseAsync(initialResponse, string.Empty).ConfigureAwait(false);
        if (response is null)
        {
            return (true, null, null, null);
        }

        return response.Kind == SaslResponseKind.Data
            && SaslDecoder.TryDecodePlain(response.Data.Span, out var authorizationId, out var userName, out var password)
            ? (false, response, new SmtpCredentials("PLAIN", userName, password), authorizationId)
            : (false, response, null, null);
    }

    // LOGIN (no RFC; draft-murchison-sasl-login): the user name, then the password, each after
    // its own challenge. A user name given with AUTH skips the first challenge, as clients expect.
    private async Task<(bool Ended, SaslResponse? Response, SmtpCredentials? Credentials, string? AuthorizationId)> LoginExchangeAsync(
        SaslResponse? initialResponse)
    {
        var response = await NextResponseAsync(initialResponse, LoginUserChallenge).ConfigureAwait(false);
        if (response is null)
        {
            return (true, null, null, null);
        }

        if (response.Kind != SaslResponseKind.Data || !SaslDecoder.TryDecodeField(response.Data.Span, out var userName))
        {
            return (false, response, null, null);
        }

        response = await NextResponseAsync(null, LoginPasswordChallenge).ConfigureAwait(false);
        if (response is null)
        {
            return (true, null, null, null);
        }

        return response.Kind == SaslResponseKind.Data && SaslDecoder.TryDecodeField(response.Data.Span, out var password)
            ? (false, response, new SmtpCredentials("LOGIN", userName, password), null)
            : (false, response, null, null);
    }

    /// <summary>The initial response if there is one, else a 334 challenge and the client's answer; null when the session ended.</summary>
    private async Task<SaslResponse?> NextResponseAsync(SaslResponse? initialResponse, string challenge)
    {
        if (initialResponse is not null)
        {
            return initialResponse;
        }

        await _connection.QueueAsync(SmtpReplies.AuthenticationChallenge(challenge), _abort).ConfigureAwait(false);
        return await ReadLineAsync(_decodeResponse, SaslResponse.TooLong, authResponse: true).ConfigureAwait(false);
    }

    private async Task<bool> TryStartTlsAsync()
    {
        if (_certificate is null)
        {
            _logger.LogWarning("Listener {Listener} wants TLS but no certificate is configured", ListenerName);
            return false;
        }

        try
        {
            await _connection.UpgradeToTlsAsync(_certificate, _options.TlsHandshakeTimeout, _abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested && IsDisconnect(ex))
        {
            _logger.LogInformation("Session {Session}: TLS handshake failed: {Reason}", Id, ex.Message);
            return false;
        }

        var tls = _connection.Tls!;
        IsSecure = true;
        TlsProtocol = tls.SslProtocol;
        TlsCipher = tls.NegotiatedCipherSuite.ToString();
        return true;
    }

    /// <summary>Reads DATA content up to CRLF.CRLF into the message stream; false when the session ended.</summary>
    private async Task<bool> ReceiveDataAsync()
    {
        var decoder = new SmtpDataDecoder();
        var scratch = ArrayPool<byte>.Shared.Rent(ScratchSize);
        try
        {
            while (true)
            {
                if (await ReadDataBlockAsync().ConfigureAwait(false) is not { } result)
                {
                    return false;
                }

                var buffer = result.Buffer;
                long offset = 0;
                while (offset < buffer.Length && !decoder.IsComplete)
                {
                    offset += Decode(decoder, buffer, offset, scratch, out var written);
                    _messageBareLineEnding |= decoder.HasBareLineEnding;
                    await WriteMessageAsync(scratch.AsMemory(0, written)).ConfigureAwait(false);
                }

                var consumed = buffer.GetPosition(offset);
                _connection.AdvanceTo(buffer, consumed, decoder.IsComplete ? consumed : buffer.End);
                if (decoder.IsComplete)
                {
                    return true;
                }

                if (result.IsCompleted)
                {
                    return false;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static int Decode(SmtpDataDecoder decoder, ReadOnlySequence<byte> buffer, long offset, byte[] scratch, out int written)
    {
        var span = buffer.Slice(offset).FirstSpan;
        return decoder.Decode(span.Length > scratch.Length ? span[..scratch.Length] : span, scratch, out written);
    }

    /// <summary>Reads exactly <paramref name="size"/> bytes of a BDAT chunk, into the message or nowhere.</summary>
    private async Task<bool> ReceiveChunkAsync(long size, bool store)
    {
        var remaining = size;
        while (remaining > 0)
        {
            if (await ReadDataBlockAsync().ConfigureAwait(false) is not { } result)
            {
                return false;
            }

            var buffer = result.Buffer;
            var chunk = buffer.Slice(0, Math.Min(remaining, buffer.Length));
            if (store)
            {
                foreach (var segment in chunk)
                {
                    await WriteMessageAsync(segment).ConfigureAwait(false);
                }
            }

            remaining -= chunk.Length;
            _connection.AdvanceTo(buffer, chunk.End, chunk.End);
            if (remaining > 0 && result.IsCompleted)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Waits for the next block of message bytes; null when the session ended.</summary>
    private async Task<ReadResult?> ReadDataBlockAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort);
        timeout.CancelAfter(_options.DataBlockTimeout);
        try
        {
            return await _connection.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
        {
            _logger.LogInformation("Session {Session}: data timeout", Id);
            await EndWithAsync(SmtpReplies.Timeout(HostName)).ConfigureAwait(false);
            return null;
        }
    }

    private async Task WriteMessageAsync(ReadOnlyMemory<byte> bytes)
    {
        _messageSize += bytes.Length;
        _messageTooLarge |= _messageSize > _options.MaxMessageSize;
        if (bytes.IsEmpty || _messageTooLarge || _messageBareLineEnding || _messageWriteFailed)
        {
            // The message is lost already: keep reading to its end, but store nothing more.
            return;
        }

        try
        {
            await _messageStream!.WriteAsync(bytes, _abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Session {Session}: writing the message failed", Id);
            _messageWriteFailed = true;
        }
    }

    private async Task<bool> BeginMessageAsync()
    {
        try
        {
            _messageStream = await _handler!.BeginMessageAsync(_abort).ConfigureAwait(false);
            _messageOpen = true;
            return true;
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Session {Session}: handler failed at message start", Id);
            _messageOpen = true;
            await AbortMessageAsync().ConfigureAwait(false);
            return false;
        }
    }

    private async Task<bool> FinishMessageAsync()
    {
        SmtpReply reply;
        var clientFault = true;
        if (_messageWriteFailed)
        {
            await AbortMessageAsync().ConfigureAwait(false);
            (reply, clientFault) = (SmtpReplies.LocalProblem, false);
        }
        else if (_messageBareLineEnding)
        {
            await AbortMessageAsync().ConfigureAwait(false);
            reply = SmtpReplies.BareLineEnding;
        }
        else if (_messageTooLarge)
        {
            await AbortMessageAsync().ConfigureAwait(false);
            reply = SmtpReplies.MessageTooLarge;
        }
        else
        {
            try
            {
                await _messageStream!.FlushAsync(_abort).ConfigureAwait(false);
                reply = await _handler!.CompleteMessageAsync(_messageSize, _abort).ConfigureAwait(false);
                _messageOpen = false;
            }
            catch (Exception ex) when (!_abort.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Session {Session}: handler failed at message end", Id);
                await AbortMessageAsync().ConfigureAwait(false);
                (reply, clientFault) = (SmtpReplies.LocalProblem, false);
            }
        }

        await ResetTransactionAsync().ConfigureAwait(false);
        return await ReplyAsync(reply, clientFault).ConfigureAwait(false);
    }

    private async Task AbortMessageAsync()
    {
        if (!_messageOpen || _handler is null)
        {
            return;
        }

        _messageOpen = false;
        try
        {
            await _handler.AbortMessageAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Session {Session}: handler failed to abort a message", Id);
        }
    }

    private async Task ResetTransactionAsync()
    {
        await AbortMessageAsync().ConfigureAwait(false);
        MailFrom = null;
        _recipients.Clear();
        _messageStream = null;
        _messageSize = 0;
        _messageTooLarge = _messageBareLineEnding = _messageWriteFailed = false;
        if (_state > SmtpState.Ready)
        {
            _state = SmtpState.Ready;
        }

        try
        {
            _handler?.OnReset();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Session {Session}: handler failed to reset", Id);
        }
    }

    private async Task<(bool Faulted, SmtpReply? Reply)> CallAsync(
        Func<ISmtpSessionHandler, CancellationToken, ValueTask<SmtpReply?>> hook, string stage)
    {
        try
        {
            return (false, await hook(_handler!, _abort).ConfigureAwait(false));
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Session {Session}: handler failed at {Stage}", Id, stage);
            return (true, null);
        }
    }

    /// <summary>Queues a reply to a command; false when it was the error that reached the limit.</summary>
    private async Task<bool> ReplyAsync(SmtpReply reply, bool clientFault = true)
    {
        await _connection.QueueAsync(reply, _abort).ConfigureAwait(false);
        if (reply.IsPositive || !clientFault)
        {
            return true;
        }

        _logger.LogInformation("Session {Session}: replied {Code} {EnhancedCode}", Id, reply.Code, reply.EnhancedCode);
        if (++_errors < _options.MaxErrors)
        {
            return true;
        }

        _logger.LogInformation("Session {Session}: too many errors from {Remote}", Id, RemoteEndPoint.Address);
        await EndWithAsync(SmtpReplies.TooManyErrors).ConfigureAwait(false);
        return false;
    }

    /// <summary>Sends a last reply; the caller then ends the session.</summary>
    // The last reply is only queued: the connection sends it while closing, after the session
    // has given back its connection slot, so a client that reconnects the moment it reads the
    // reply is never refused for its own finished session.
    private Task EndWithAsync(SmtpReply reply)
    {
        _connection.Queue(reply);
        return Task.CompletedTask;
    }

    private async Task DisposeHandlerAsync()
    {
        if (_handler is null)
        {
            return;
        }

        try
        {
            await _handler.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Session {Session}: handler failed to dispose", Id);
        }
    }

    private static bool IsDisconnect(Exception ex) =>
        ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException;
}
