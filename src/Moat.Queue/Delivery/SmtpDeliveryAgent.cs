using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Moat.Queue.Dns;
using Moat.Queue.Spool;
using Envelope = Moat.Queue.Spool.Envelope;

namespace Moat.Queue.Delivery;

/// <summary>
/// Delivers over SMTP with MailKit, to a fixed relay (Smtp routes) or the domain's MX hosts (Mx
/// routes). Connections are opened on our own sockets (Nagle off) and reused per destination.
/// </summary>
public sealed class SmtpDeliveryAgent : IDeliveryAgent, IAsyncDisposable
{
    private readonly QueueOptions options;
    private readonly IDnsResolver dns;
    private readonly ILogger logger;
    private readonly SmtpConnectionPool pool;
    private int connectionsOpened;

    public SmtpDeliveryAgent(QueueOptions options, IDnsResolver dns, ILogger<SmtpDeliveryAgent>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.dns = dns;
        this.logger = logger ?? NullLogger<SmtpDeliveryAgent>.Instance;
        pool = new SmtpConnectionPool(options.Delivery.ConnectionIdleTime, timeProvider ?? TimeProvider.System);
    }

    /// <summary>TCP connections opened so far (reuse makes this smaller than the number of messages).</summary>
    public int ConnectionsOpened => Volatile.Read(ref connectionsOpened);

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var results = new List<RecipientResult>();
        var mailboxes = new Dictionary<MailboxAddress, EnvelopeRecipient>(ReferenceEqualityComparer.Instance);
        foreach (var recipient in request.Recipients)
        {
            if (TryMailbox(recipient.Address, out var mailbox))
            {
                mailboxes[mailbox] = recipient;
            }
            else
            {
                results.Add(new RecipientResult(recipient, DeliveryOutcome.Failed, "553 5.1.3 recipient address syntax is not valid"));
            }
        }

        MailboxAddress? sender = null;
        if (!request.Envelope.IsNullSender && !TryMailbox(request.Envelope.Sender, out sender))
        {
            return Finish(results, mailboxes.Values, DeliveryOutcome.Failed, "553 5.1.7 sender address syntax is not valid");
        }

        if (mailboxes.Count == 0)
        {
            return results;
        }

        using var message = await SpooledMimeMessage.OpenAsync(request.Content, cancellationToken).ConfigureAwait(false);
        var transaction = new Transaction(request.Envelope, sender ?? NullSender(), mailboxes, message);
        var destination = DeliveryRouter.DestinationKey(request.Route, request.Domain);

        // A pooled connection may have been closed by the peer meanwhile; if it breaks before any
        // reply, the message is simply tried again on a fresh connection.
        var pooled = await pool.TakeAsync(destination).ConfigureAwait(false);
        if (pooled is not null)
        {
            var reused = await SendAsync(pooled, destination, transaction, cancellationToken).ConfigureAwait(false);
            if (reused is not null)
            {
                results.AddRange(reused);
                return results;
            }
        }

        results.AddRange(await ConnectAndSendAsync(request, destination, transaction, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>Closes idle connections past their idle time; the queue manager calls this now and then.</summary>
    public Task SweepIdleConnectionsAsync() => pool.SweepAsync();

    public ValueTask DisposeAsync() => pool.DisposeAsync();

    private async Task<IReadOnlyList<RecipientResult>> ConnectAndSendAsync(DeliveryRequest request, string destination, Transaction transaction, CancellationToken cancellationToken)
    {
        var route = request.Route;
        List<string> hosts;
        var implicitMx = false;
        try
        {
            if (route.Type == RouteType.Smtp)
            {
                hosts = [route.Host];
            }
            else
            {
                var mx = await dns.ResolveMxAsync(request.Domain, cancellationToken).ConfigureAwait(false);
                if (!mx.DomainExists)
                {
                    return transaction.All(DeliveryOutcome.Failed, $"550 5.1.2 domain {request.Domain} does not exist");
                }

                if (mx.IsNullMx)
                {
                    return transaction.All(DeliveryOutcome.Failed, $"556 5.1.10 domain {request.Domain} does not accept mail (null MX)");
                }

                implicitMx = mx.Hosts.Count == 0;
                hosts = implicitMx ? [request.Domain] : OrderMxHosts(mx.Hosts);
            }
        }
        catch (DnsTemporaryException ex)
        {
            return transaction.All(DeliveryOutcome.Deferred, "451 4.4.3 " + ex.Message);
        }

        var lastError = $"451 4.4.1 no reachable host for {request.Domain}";
        var anyAddress = false;
        foreach (var host in hosts)
        {
            IReadOnlyList<IPAddress> addresses;
            try
            {
                addresses = await dns.ResolveAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                if (addresses.Count == 0 && route.Type == RouteType.Smtp)
                {
                    // A configured relay may be a name from /etc/hosts, which DNS does not know.
                    addresses = await SystemAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DnsTemporaryException ex)
            {
                lastError = "451 4.4.3 " + ex.Message;
                continue;
            }

            anyAddress |= addresses.Count > 0;
            foreach (var address in addresses)
            {
                DeliverySmtpClient client;
                try
                {
                    client = await ConnectAsync(host, address, route, cancellationToken).ConfigureAwait(false);
                }
                catch (SmtpCommandException ex)
                {
                    // A 4xx/5xx greeting or EHLO refusal: this host will not talk to us, try the next one.
                    lastError = $"451 4.4.1 {host}[{address}] refused to talk to us: {(int)ex.StatusCode} {OneLine(ex.Message)}";
                    break;
                }
                catch (NotSupportedException)
                {
                    // MailKit's answer to "STARTTLS required, not offered".
                    lastError = $"451 4.7.4 TLS is required, but was not offered by {host}[{address}]";
                    break;
                }
                catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
                {
                    lastError = $"451 4.4.1 connect to {host}[{address}]:{route.Port} failed: {OneLine(ex.Message)}";
                    continue;
                }

                var results = await SendAsync(client, destination, transaction, cancellationToken).ConfigureAwait(false);
                if (results is not null)
                {
                    return results;
                }

                lastError = $"451 4.4.2 {host}[{address}] lost connection before replying";
            }
        }

        if (implicitMx && !anyAddress)
        {
            return transaction.All(DeliveryOutcome.Failed, $"550 5.1.2 domain {request.Domain} has no MX and no address records");
        }

        return transaction.All(DeliveryOutcome.Deferred, lastError);
    }

    private async Task<DeliverySmtpClient> ConnectAsync(string host, IPAddress address, RouteOptions route, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new DeliverySmtpClient
        {
            LocalDomain = options.Hostname,
            Timeout = (int)Math.Min(int.MaxValue, options.Delivery.CommandTimeout.TotalMilliseconds),
            CheckCertificateRevocation = false,
        };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Delivery.ConnectTimeout);
                await socket.ConnectAsync(address, route.Port, timeout.Token).ConfigureAwait(false);
            }

            var secure = route.Tls switch
            {
                TlsMode.None => SecureSocketOptions.None,
                TlsMode.Required => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.StartTlsWhenAvailable,
            };
            if (route.Tls == TlsMode.Opportunistic)
            {
                // Postfix's "may": encrypt if offered, accept any certificate (MX certificates are
                // rarely valid for the MX name, and refusing would only force plain text).
                client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            }

            await client.ConnectAsync(socket, host, route.Port, secure, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref connectionsOpened);
            return client;
        }
        catch
        {
            client.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one transaction. Returns null only when the connection broke before the server said
    /// anything about this message (so a fresh connection may be tried).
    /// </summary>
    private async Task<IReadOnlyList<RecipientResult>?> SendAsync(DeliverySmtpClient client, string destination, Transaction transaction, CancellationToken cancellationToken)
    {
        client.BeginTransaction(transaction.Envelope, transaction.Mailboxes);
        var recipients = transaction.Mailboxes.Keys.ToList();
        try
        {
            var reply = await client.SendAsync(FormatOptions.Default, transaction.Message, transaction.Sender, recipients, cancellationToken).ConfigureAwait(false);
            client.MessagesSent++;
            var results = transaction.Mailboxes.Values.Select(r =>
                client.RecipientResponses.TryGetValue(r, out var response) && (int)response.StatusCode >= 300
                    ? FromResponse(r, (int)response.StatusCode, response.Response)
                    : new RecipientResult(r, DeliveryOutcome.Delivered, "250 " + OneLine(reply))).ToList();
            Release(client, destination);
            return results;
        }
        catch (SmtpCommandException ex)
        {
            // MailKit has already sent RSET: the connection stays usable.
            var results = transaction.Mailboxes.Values.Select(r =>
                ex.ErrorCode != SmtpErrorCode.SenderNotAccepted && client.RecipientResponses.TryGetValue(r, out var response) && (int)response.StatusCode >= 300
                    ? FromResponse(r, (int)response.StatusCode, response.Response)
                    : FromResponse(r, (int)ex.StatusCode, ex.Message)).ToList();
            Release(client, destination);
            return results;
        }
        catch (ServiceNotAuthenticatedException ex)
        {
            // 530: the peer wants AUTH from us, which a relay without credentials cannot give.
            Release(client, destination);
            return transaction.All(DeliveryOutcome.Failed, "530 5.7.0 " + OneLine(ex.Message));
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken) || ex is ServiceNotConnectedException or ProtocolException)
        {
            logger.LogInformation("Connection to {Destination} failed during a transaction: {Error}", destination, ex.Message);
            await SmtpConnectionPool.CloseAsync(client).ConfigureAwait(false);
            if (client.RecipientResponses.Count == 0)
            {
                return null;
            }

            return transaction.Mailboxes.Values.Select(r =>
                client.RecipientResponses.TryGetValue(r, out var response) && (int)response.StatusCode >= 300
                    ? FromResponse(r, (int)response.StatusCode, response.Response)
                    : new RecipientResult(r, DeliveryOutcome.Deferred, "451 4.4.2 connection lost: " + OneLine(ex.Message))).ToList();
        }
        catch
        {
            await SmtpConnectionPool.CloseAsync(client).ConfigureAwait(false);
            throw;
        }
    }

    private void Release(DeliverySmtpClient client, string destination)
    {
        if (client.IsConnected && client.MessagesSent < options.Delivery.MaxMessagesPerConnection)
        {
            pool.Return(destination, client);
        }
        else
        {
            _ = SmtpConnectionPool.CloseAsync(client);
        }
    }

    /// <summary>MX hosts by preference, equal preferences shuffled (RFC 5321 §5.1), duplicates removed.</summary>
    internal static List<string> OrderMxHosts(IReadOnlyList<MxHost> hosts) =>
        hosts.GroupBy(h => h.Preference)
            .OrderBy(g => g.Key)
            .SelectMany(g => g.OrderBy(_ => Random.Shared.Next()))
            .Select(h => h.Host)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    private static async Task<IReadOnlyList<IPAddress>> SystemAddressesAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return [];
        }
    }

    private static RecipientResult FromResponse(EnvelopeRecipient recipient, int code, string text) =>
        new(recipient, RecipientResult.OutcomeOf(code), $"{code} {OneLine(text)}");

    private static bool IsConnectionFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is SocketException or IOException or TimeoutException or SslHandshakeException or SmtpProtocolException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static bool TryMailbox(string address, out MailboxAddress mailbox)
    {
        try
        {
            mailbox = new MailboxAddress(string.Empty, address);
            return true;
        }
        catch (ParseException)
        {
            mailbox = null!;
            return false;
        }
    }

    private static MailboxAddress NullSender() => new(string.Empty, string.Empty);

    private static List<RecipientResult> Finish(List<RecipientResult> results, IEnumerable<EnvelopeRecipient> rest, DeliveryOutcome outcome, string reply)
    {
        results.AddRange(rest.Select(r => new RecipientResult(r, outcome, reply)));
        return results;
    }

    private sealed record Transaction(Envelope Envelope, MailboxAddress Sender, Dictionary<MailboxAddress, EnvelopeRecipient> Mailboxes, MimeMessage Message)
    {
        public IReadOnlyList<RecipientResult> All(DeliveryOutcome outcome, string reply) =>
            Mailboxes.Values.Select(r => new RecipientResult(r, outcome, reply)).ToList();
    }
}
