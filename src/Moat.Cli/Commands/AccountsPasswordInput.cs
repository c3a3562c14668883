using System.Text;

namespace Moat.Cli.Commands;

/// <summary>
/// Where <c>moat accounts add|passwd</c> get a password: the first line of standard input when it
/// is redirected (scripts, <c>echo … | moat accounts add</c>), otherwise typed twice at the
/// terminal without echo. The password is never printed, logged or given on the command line
/// (where every user of the machine could read it in the process list).
/// </summary>
internal static class AccountsPasswordInput
{
    /// <returns>The password, or null after printing why there is none.</returns>
    public static string? Read(string account)
    {
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                Console.Error.WriteLine("Standard input held no password: give it as the first line, e.g. `printf '%s\\n' \"$PASSWORD\" | moat accounts passwd " + account + "`.");
                return null;
            }

            return line;
        }

        var first = Prompt($"New password for {account}: ");
        if (first.Length == 0)
        {
            Console.Error.WriteLine("No password was typed; nothing was changed.");
            return null;
        }

        var second = Prompt("The same password again: ");
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            Console.Error.WriteLine("The two passwords differ; nothing was changed. Run the command again.");
            return null;
        }

        return first;
    }

    // The prompt goes to standard error so that standard output stays the command's result.
    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return typed.ToString();
    }
}
