using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Moat.Storage.Accounts;

/// <summary>Account names are e-mail addresses in the same canonical form the trust lists use.</summary>
public static class AccountNames
{
    /// <exception cref="ArgumentException">The name is not an e-mail address.</exception>
    public static string Normalise(string name, [CallerArgumentExpression(nameof(name))] string? parameterName = null) =>
        TryNormalise(name, out var normalised, out var problem) ? normalised : throw new ArgumentException(problem, parameterName);

    public static bool TryNormalise(string? name, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? problem)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            normalised = null;
            problem = "The account name is empty; an account is named by the user's e-mail address (alice@example.org).";
            return false;
        }

        return TrustNames.TryNormaliseAddress(name, out normalised, out problem);
    }

    /// <summary>
    /// The form to look a name up by: canonical when it is an address, otherwise trimmed and lower
    /// case, which then simply matches no account (a lookup never throws for a bad name).
    /// </summary>
    public static string ForLookup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryNormalise(name, out var normalised, out _) ? normalised : name.Trim().ToLowerInvariant();
    }
}
