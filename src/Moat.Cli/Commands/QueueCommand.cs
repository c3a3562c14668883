using System.CommandLine;
using System.Globalization;
using Moat.Cli.Hosting;
using Moat.Queue.Admin;
using Moat.Queue.Spool;
using Moat.Storage.AccessLog;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat queue list|show|retry|hold|release|delete</c>. They work on the queue folder directly,
/// so they also work while <c>moat serve</c> runs; the server notices changes at its next scan.
/// Showing a message's headers, releasing and deleting are written to the access log, as they are
/// on the web pages: the people a message is from and to can see who did what with it.
/// </summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var queue = new Command("queue", "Inspect and manage queued messages.");
        queue.Subcommands.Add(CreateList());
        queue.Subcommands.Add(CreateShow());
        queue.Subcommands.Add(CreateAction("retry", "Deliver deferred messages now (all deferred ones when no id is given).", (admin, id) => admin.Retry(id), allWhenEmpty: QueueState.Deferred));
        queue.Subcommands.Add(CreateAction("hold", "Keep messages from delivery until released.", (admin, id) => admin.Hold(id)));
        queue.Subcommands.Add(CreateAction("release", "Return held messages to delivery.", (admin, id) => admin.Release(id), logAs: AccessActions.Release));
        queue.Subcommands.Add(CreateAction("delete", "Delete messages that are not being delivered.", (admin, id) => admin.Delete(id), logAs: AccessActions.Delete));
        return queue;
    }

    private static Command CreateList()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command("list", "List queued messages: id, state, size, age, sender, recipients, last error.") { config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var admin = OpenAdmin(result, config, data);
            if (admin is null)
            {
                return ExitCodes.ConfigurationError;
            }

            var entries = await admin.ListAsync(cancellationToken);
            if (entries.Count == 0)
            {
                Console.WriteLine("The queue is empty.");
                return ExitCodes.Success;
            }

            Console.WriteLine($"{"ID",-26} {"STATE",-9} {"SIZE",9} {"AGE",9} {"RCPT",5}  SENDER / LAST ERROR");
            foreach (var entry in entries)
            {
                var sender = entry.Sender.Length == 0 ? "<>" : entry.Sender;
                Console.WriteLine($"{entry.Id,-26} {entry.State.ToString().ToLowerInvariant(),-9} {entry.Size,9} {FormatAge(entry.Age),9} {entry.PendingCount + "/" + entry.RecipientCount,5}  {sender}");
                if (entry.LastError is not null)
                {
                    var next = entry.NextAttemptAt is { } at ? $" (next try {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)" : string.Empty;
                    Console.WriteLine($"{string.Empty,63}{entry.LastError}{next}");
                }
            }

            Console.WriteLine($"{entries.Count} message{(entries.Count == 1 ? string.Empty : "s")}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var id = new Argument<string>("id") { Description = "Queue id (from moat queue list)." };
        var command = new Command("show", "Show a message's envelope, delivery state and headers.") { id, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var admin = OpenAdmin(result, config, data);
            if (admin is null)
            {
                return ExitCodes.ConfigurationError;
            }

            QueueMessageDetails? details;
            try
            {
                details = await admin.ShowAsync(result.GetValue(id)!, cancellationToken);
            }
            catch (CorruptMessageException exception)
            {
                Console.Error.WriteLine($"The message '{result.GetValue(id)}' is damaged and cannot be shown: {exception.Message}. `moat queue delete` removes it.");
                return ExitCodes.Failure;
            }

            if (details is null)
            {
                Console.Error.WriteLine($"No message '{result.GetValue(id)}' in the queue. `moat queue list` shows the ids.");
                return ExitCodes.Failure;
            }

            var envelope = details.Envelope;
            var logged = await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                await CliAccessLog.RecordAsync(storage, AccessActions.View, envelope.Addresses, "envelope and headers shown by moat queue show", cancellationToken, envelope.Id);
                return ExitCodes.Success;
            });
            if (logged != ExitCodes.Success)
            {
                // Nothing is shown that could not be logged.
                return logged;
            }

            Console.WriteLine($"id:          {envelope.Id}");
            Console.WriteLine($"state:       {details.State.ToString().ToLowerInvariant()}");
            Console.WriteLine($"received:    {envelope.ReceivedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} from {envelope.ClientAddress} ({envelope.HeloName}) on {envelope.Listener}");
            Console.WriteLine($"size:        {envelope.Size}");
            Console.WriteLine($"sender:      <{envelope.Sender}>");
            foreach (var recipient in envelope.Recipients)
            {
                Console.WriteLine($"recipient:   <{recipient.Address}> {recipient.Status.ToString().ToLowerInvariant()}{(recipient.LastReply is null ? string.Empty : " — " + recipient.LastReply)}");
            }

            Console.WriteLine($"attempts:    {envelope.Attempts}");
            if (envelope.NextAttemptAt is { } next)
            {
                Console.WriteLine($"next try:    {next.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
            }

            if (envelope.LastError is not null)
            {
                Console.WriteLine($"last error:  {envelope.LastError}");
            }

            Console.WriteLine();
            Console.Write(details.Headers);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <param name="logAs">The access-log action for each message acted on; null for actions that touch nobody's mail (retry, hold).</param>
    private static Command CreateAction(string name, string description, Func<QueueAdmin, string, AdminResult> action, QueueState? allWhenEmpty = null, string? logAs = null)
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var ids = new Argument<string[]>("id")
        {
            Description = "Queue ids (from moat queue list).",
            Arity = allWhenEmpty is null ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
        };
        var command = new Command(name, description) { ids, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            var admin = OpenAdmin(result, config, data);
            if (admin is null)
            {
                return ExitCodes.ConfigurationError;
            }

            var targets = result.GetValue(ids) ?? [];
            if (targets.Length == 0 && allWhenEmpty is { } state)
            {
                targets = (await admin.ListAsync(cancellationToken)).Where(e => e.State == state).Select(e => e.Id).ToArray();
                if (targets.Length == 0)
                {
                    Console.WriteLine($"No {state.ToString().ToLowerInvariant()} messages.");
                }
            }

            var exitCode = ExitCodes.Success;
            var done = new List<(string Id, Envelope? Envelope)>();
            foreach (var id in targets)
            {
                // Read before the action: a deleted message has no envelope left to name its people.
                var envelope = logAs is null ? null : await ReadEnvelopeAsync(admin, id, cancellationToken);
                var outcome = action(admin, id);
                (outcome.Success ? Console.Out : Console.Error).WriteLine(outcome.Message);
                if (!outcome.Success)
                {
                    exitCode = ExitCodes.Failure;
                }
                else if (logAs is not null)
                {
                    done.Add((id, envelope));
                }
            }

            if (done.Count > 0)
            {
                var logged = await CommonOptions.WithStorageAsync(result, config, data, async storage =>
                {
                    foreach (var (id, envelope) in done)
                    {
                        await CliAccessLog.RecordAsync(storage, logAs!, envelope?.Addresses ?? [], $"moat queue {name}", cancellationToken, id);
                    }

                    return ExitCodes.Success;
                });
                exitCode = exitCode == ExitCodes.Success ? logged : exitCode;
            }

            return exitCode;
        });
        return command;
    }

    /// <summary>The message's envelope; null when there is none to read (gone, or damaged: a damaged message is deleted all the same, and logged without names).</summary>
    private static async Task<Envelope?> ReadEnvelopeAsync(QueueAdmin admin, string id, CancellationToken cancellationToken)
    {
        try
        {
            return (await admin.ShowAsync(id, cancellationToken))?.Envelope;
        }
        catch (Exception exception) when (exception is CorruptMessageException or IOException)
        {
            return null;
        }
    }

    private static QueueAdmin? OpenAdmin(ParseResult result, Option<string?> config, Option<string?> data)
    {
        var options = CommonOptions.Load(result, config, data);
        return options is null ? null : new QueueAdmin(QueueOptionsFactory.Create(options));
    }

    private static string FormatAge(TimeSpan age) => age.TotalDays >= 1
        ? $"{(int)age.TotalDays}d{age.Hours}h"
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h{age.Minutes}m" : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m{age.Seconds}s" : $"{age.Seconds}s";
}
