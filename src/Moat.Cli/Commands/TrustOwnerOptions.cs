using System.CommandLine;
using Moat.Storage;
using Moat.Storage.Trust;

namespace Moat.Cli.Commands;

/// <summary>
/// <c>--user ADDRESS</c> and <c>--organisation</c>: whose list a <c>moat trust</c> command works on.
/// Separate instances per command, as System.CommandLine wants.
/// </summary>
internal sealed class TrustOwnerOptions
{
    public Option<string?> User { get; } = new("--user")
    {
        Description = "The list of this local user (their address, e.g. alice@example.org).",
    };

    public Option<bool> Organisation { get; } = new("--organisation", "--organization")
    {
        Description = "The organisation's list, which applies to every recipient.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Organisation);
    }

    /// <summary>
    /// The chosen owner in canonical form (<c>*</c> for the organisation), null when neither was
    /// given and <paramref name="required"/> is false; prints what to do and returns false otherwise.
    /// </summary>
    public bool TryResolve(ParseResult result, bool required, out string? owner)
    {
        owner = null;
        var user = result.GetValue(User);
        var organisation = result.GetValue(Organisation);
        if (user is not null && organisation)
        {
            Console.Error.WriteLine("Give either --user ADDRESS (one user's list) or --organisation (everyone's list), not both.");
            return false;
        }

        if (organisation)
        {
            owner = TrustEntry.Organisation;
            return true;
        }

        if (user is null)
        {
            if (required)
            {
                Console.Error.WriteLine("Say whose list: --user alice@example.org for one user's list, or --organisation for the list that applies to everyone.");
                return false;
            }

            return true;
        }

        if (user.Trim() == TrustEntry.Organisation || !TrustNames.TryNormaliseAddress(user, out var address, out _))
        {
            Console.Error.WriteLine($"--user takes a local user's address, e.g. --user alice@example.org; '{user}' is not one. (Use --organisation for everyone's list.)");
            return false;
        }

        owner = address;
        return true;
    }

    /// <summary>"the organisation's list" or "alice@example.org's list", for messages.</summary>
    public static string Describe(string owner) =>
        owner == TrustEntry.Organisation ? "the organisation's list" : $"{owner}'s list";
}
