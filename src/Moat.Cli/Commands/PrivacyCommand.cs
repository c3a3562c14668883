using System.CommandLine;
using Moat.Cli.Hosting.Logging;

namespace Moat.Cli.Commands;

/// <summary><c>moat privacy pseudonym</c>: what the operator needs to answer for one person's data.</summary>
internal static class PrivacyCommand
{
    public static Command Create()
    {
        var privacy = new Command("privacy", "Find one person's data (subject access requests).");
        privacy.Subcommands.Add(CreatePseudonym());
        return privacy;
    }

    private static Command CreatePseudonym()
    {
        var config = CommonOptions.Config();
        var data = CommonOptions.Data();
        var address = new Argument<string>("address") { Description = "The e-mail address, e.g. alice@example.org (case does not matter)." };
        var command = new Command(
            "pseudonym",
            "Print the pseudonym this installation's logs write for an address (privacy.pseudonymiseAddresses), to search the logs for it.")
        {
            address, config, data,
        };
        command.SetAction(result =>
        {
            var options = CommonOptions.Load(result, config, data);
            if (options is null)
            {
                return ExitCodes.ConfigurationError;
            }

            var text = result.GetValue(address) ?? string.Empty;
            if (!AddressPseudonymiser.IsAddress(text))
            {
                Console.Error.WriteLine($"'{text}' is not an e-mail address; give one with its domain, such as alice@example.org (the logs pseudonymise only those).");
                return ExitCodes.ConfigurationError;
            }

            AddressPseudonymiser pseudonymiser;
            try
            {
                pseudonymiser = AddressPseudonymiser.LoadOrCreate(options.DataDirectory);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"Cannot use the key {Path.GetFullPath(AddressPseudonymiser.KeyPath(options.DataDirectory))}: {exception.Message}");
                return ExitCodes.Failure;
            }

            // Only the pseudonym on standard output, so it can go straight into grep.
            Console.WriteLine(pseudonymiser.Pseudonym(text));
            if (!options.Privacy.PseudonymiseAddresses)
            {
                Console.Error.WriteLine("Note: privacy.pseudonymiseAddresses is off, so the logs written under this configuration show addresses as they are.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
