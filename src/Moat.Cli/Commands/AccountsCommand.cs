using System.CommandLine;
using System.Globalization;
using Moat.Accounts.Accounts;
using Moat.Storage;
using Moat.Storage.AccessLog;
using Moat.Storage.Accounts;
using Moat.Storage.Sqlite;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>moat accounts add|passwd|list|remove|lock|unlock|blocks</c>: the users who may log in, in
/// &lt;dataDirectory&gt;/moat.db, with the password key in &lt;dataDirectory&gt;/popularity.key. The
/// database is shared with a running <c>moat serve</c>, which sees every change at once.
/// </summary>
internal static class AccountsCommand
{
    private const string NameHelp = "Name the account by the user's e-mail address, e.g. alice@example.org.";

    public static Command Create()
    {
        var accounts = new Command("accounts", "Manage the users who may log in: their roles, passwords and locks.");
        accounts.Subcommands.Add(CreateAdd());
        accounts.Subcommands.Add(CreatePasswd());
        accounts.Subcommands.Add(CreateList());
        accounts.Subcommands.Add(CreateRole());
        accounts.Subcommands.Add(CreateRemove());
        accounts.Subcommands.Add(CreateLock(locked: true));
        accounts.Subcommands.Add(CreateLock(locked: false));
        accounts.Subcommands.Add(CreateBlocks());
        return accounts;
    }

    private static Command CreateAdd()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var name = NameArgument();
        var role = new Option<string>("--role")
        {
            Description = "administrator or user.",
            DefaultValueFactory = _ => "user",
        };
        role.AcceptOnlyFromAmong("administrator", "user");
        var command = new Command(
            "add",
            "Add an account. The password is read from standard input when it is not a terminal (first line), otherwise asked for twice.")
        {
            name, role, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryName(result.GetValue(name), out var canonical))
            {
                return ExitCodes.ConfigurationError;
            }

            var accountRole = result.GetValue(role) == "administrator" ? AccountRole.Administrator : AccountRole.User;
            return await WithServiceAsync(result, config, data, async (storage, service) =>
            {
                if (await storage.Accounts.GetAsync(canonical, cancellationToken) is not null)
                {
                    Console.Error.WriteLine($"The account {canonical} exists already; `moat accounts passwd {canonical}` sets a new password.");
                    return ExitCodes.Failure;
                }

                if (AccountsPasswordInput.Read(canonical) is not { } password)
                {
                    return ExitCodes.Failure;
                }

                var added = await service.AddAsync(canonical, accountRole, password, cancellationToken);
                if (added.Outcome == AccountChangeOutcome.Done)
                {
                    await CliAccessLog.RecordAsync(storage, AccessActions.AccountChange, [canonical], $"account added (role {accountRole.ToString().ToLowerInvariant()})", cancellationToken);
                    if (accountRole == AccountRole.Administrator)
                    {
                        await CliAccessLog.RecordAsync(storage, AccessActions.RoleChange, [canonical], "role administrator given", cancellationToken);
                    }
                }

                return Report(added);
            });
        });
        return command;
    }

    private static Command CreatePasswd()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var name = NameArgument();
        var command = new Command(
            "passwd",
            "Set a new password. It is read from standard input when that is not a terminal (first line), otherwise asked for twice.")
        {
            name, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryName(result.GetValue(name), out var canonical))
            {
                return ExitCodes.ConfigurationError;
            }

            return await WithServiceAsync(result, config, data, async (storage, service) =>
            {
                if (await storage.Accounts.GetAsync(canonical, cancellationToken) is null)
                {
                    Console.Error.WriteLine(NoSuchAccount(canonical));
                    return ExitCodes.Failure;
                }

                if (AccountsPasswordInput.Read(canonical) is not { } password)
                {
                    return ExitCodes.Failure;
                }

                var changed = await service.ChangePasswordAsync(canonical, password, cancellationToken);
                if (changed.Outcome == AccountChangeOutcome.Done)
                {
                    await CliAccessLog.RecordAsync(storage, AccessActions.AccountChange, [canonical], "password changed", cancellationToken);
                }

                return Report(changed);
            });
        });
        return command;
    }

    private static Command CreateList()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command("list", "List the accounts: name, role, status, created, password changed, last login.") { config, data };
        command.SetAction(async (result, cancellationToken) =>
            await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var accounts = await storage.Accounts.ListAsync(cancellationToken);
                if (accounts.Count == 0)
                {
                    Console.WriteLine($"No accounts ({storage.DatabasePath}); `moat accounts add alice@example.org` adds one.");
                    return ExitCodes.Success;
                }

                PrintAccounts(accounts);
                return ExitCodes.Success;
            }));
        return command;
    }

    private static Command CreateRole()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var name = NameArgument();
        var role = new Argument<string>("role") { Description = "administrator or user." };
        role.AcceptOnlyFromAmong("administrator", "user");
        var command = new Command("role", "Give an account another role; a logged-in user has it at their next page.") { name, role, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryName(result.GetValue(name), out var canonical))
            {
                return ExitCodes.ConfigurationError;
            }

            var newRole = result.GetValue(role) == "administrator" ? AccountRole.Administrator : AccountRole.User;
            var roleName = newRole.ToString().ToLowerInvariant();
            var asNoun = newRole == AccountRole.Administrator ? "an administrator" : "a user";
            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var accounts = await storage.Accounts.ListAsync(cancellationToken);
                var account = accounts.FirstOrDefault(a => a.Name == canonical);
                if (account is null)
                {
                    Console.Error.WriteLine(NoSuchAccount(canonical));
                    return ExitCodes.Failure;
                }

                if (account.Role == newRole)
                {
                    Console.WriteLine($"{canonical} is {asNoun} already.");
                    return ExitCodes.Success;
                }

                // Nobody could then manage the quarantine of others or the trust lists on the web.
                if (account.Role == AccountRole.Administrator && accounts.Count(a => a.Role == AccountRole.Administrator) == 1)
                {
                    Console.Error.WriteLine($"{canonical} is the only administrator. Make another account an administrator first (`moat accounts role NAME administrator`).");
                    return ExitCodes.Failure;
                }

                if (!await storage.Accounts.SetRoleAsync(canonical, newRole, cancellationToken))
                {
                    Console.Error.WriteLine(NoSuchAccount(canonical));
                    return ExitCodes.Failure;
                }

                await CliAccessLog.RecordAsync(storage, AccessActions.RoleChange, [canonical], $"role {roleName} given", cancellationToken);
                Console.WriteLine($"{canonical} is now {asNoun}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var name = NameArgument();
        var command = new Command("remove", "Remove an account.") { name, config, data };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryName(result.GetValue(name), out var canonical))
            {
                return ExitCodes.ConfigurationError;
            }

            return await WithServiceAsync(result, config, data, async (storage, service) =>
            {
                var removed = await service.RemoveAsync(canonical, cancellationToken);
                if (removed.Outcome == AccountChangeOutcome.Done)
                {
                    await CliAccessLog.RecordAsync(storage, AccessActions.AccountChange, [canonical], "account removed", cancellationToken);
                }

                return Report(removed);
            });
        });
        return command;
    }

    private static Command CreateLock(bool locked)
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var name = NameArgument();
        var command = new Command(
            locked ? "lock" : "unlock",
            locked ? "Lock an account: its logins are refused, whatever the password, until it is unlocked." : "Unlock a locked account.")
        {
            name, config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!TryName(result.GetValue(name), out var canonical))
            {
                return ExitCodes.ConfigurationError;
            }

            return await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                if (!await storage.Accounts.SetLockedAsync(canonical, locked, cancellationToken))
                {
                    Console.Error.WriteLine(NoSuchAccount(canonical));
                    return ExitCodes.Failure;
                }

                await CliAccessLog.RecordAsync(storage, AccessActions.AccountChange, [canonical], locked ? "account locked" : "account unlocked", cancellationToken);
                Console.WriteLine($"{(locked ? "Locked" : "Unlocked")} {canonical}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command CreateBlocks()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var command = new Command(
            "blocks",
            "List the networks the running gateway blocks for password spraying: network, until, score, reason.")
        {
            config, data,
        };
        command.SetAction(async (result, cancellationToken) =>
            await CommonOptions.WithStorageAsync(result, config, data, async storage =>
            {
                var blocks = await storage.Accounts.ListSprayBlocksAsync(DateTimeOffset.UtcNow, cancellationToken);
                if (blocks.Count == 0)
                {
                    Console.WriteLine("No network is blocked for password spraying.");
                    return ExitCodes.Success;
                }

                PrintTable(
                    ["NETWORK", "UNTIL (UTC)", "SCORE", "REASON"],
                    blocks.Select(b => new[] { b.Network, FormatTime(b.Until), b.Score.ToString("0.0", CultureInfo.InvariantCulture), b.Reason }));
                Console.WriteLine($"{blocks.Count} network{(blocks.Count == 1 ? string.Empty : "s")} blocked.");
                return ExitCodes.Success;
            }));
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The account: the user's e-mail address." };

    private static int Report(AccountChangeResult result)
    {
        switch (result.Outcome)
        {
            case AccountChangeOutcome.Done:
                Console.WriteLine(result.Message);
                return ExitCodes.Success;
            case AccountChangeOutcome.InvalidName:
                Console.Error.WriteLine($"{result.Message} {NameHelp}");
                return ExitCodes.ConfigurationError;
            default:
                Console.Error.WriteLine(result.Message);
                return ExitCodes.Failure;
        }
    }

    /// <summary>Opens the store and the account service (which reads or creates the password key); problems are reported, not thrown.</summary>
    private static Task<int> WithServiceAsync(ParseResult result, Option<string?> config, Option<string?> data, Func<SqliteStorage, AccountService, Task<int>> work) =>
        CommonOptions.WithStorageAsync(result, config, data, async (storage, options) =>
        {
            AccountService service;
            try
            {
                service = AccountService.Create(storage.Accounts, options.DataDirectory, options.Accounts);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"Cannot use the password key in {Path.GetFullPath(options.DataDirectory)}: {ex.Message}");
                return ExitCodes.Failure;
            }

            using (service)
            {
                return await work(storage, service);
            }
        });

    private static bool TryName(string? value, out string canonical)
    {
        if (AccountNames.TryNormalise(value, out var normalised, out var problem))
        {
            canonical = normalised;
            return true;
        }

        canonical = string.Empty;
        Console.Error.WriteLine($"{problem} {NameHelp}");
        return false;
    }

    private static string NoSuchAccount(string account) =>
        $"There is no account {account}; `moat accounts list` shows the accounts there are.";

    private static void PrintAccounts(IReadOnlyList<Account> accounts)
    {
        PrintTable(
            ["NAME", "ROLE", "STATUS", "CREATED (UTC)", "PASSWORD SET (UTC)", "LAST LOGIN (UTC)"],
            accounts.Select(a => new[]
            {
                a.Name,
                a.Role.ToString().ToLowerInvariant(),
                (a.Locked ? "locked" : "active") + (a.PasswordTooPopular ? ", password too popular" : string.Empty),
                FormatTime(a.Created),
                FormatTime(a.PasswordChanged),
                a.LastLogin is { } login ? FormatTime(login) : "-",
            }));
        Console.WriteLine($"{accounts.Count} account{(accounts.Count == 1 ? string.Empty : "s")}.");
    }

    private static void PrintTable(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        }
    }

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
