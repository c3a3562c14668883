using Moat.Storage;

namespace Moat.Accounts.Accounts;

/// <summary>
/// The installation's key for the keyed hashes of passwords (the popularity sketch, the spraying
/// detector), kept in <c>popularity.key</c> beside the database and never in it. A copy of the
/// database alone therefore tells nothing about passwords beyond the Argon2id hashes.
/// </summary>
public static class AccountSecret
{
    public const string DefaultFileName = "popularity.key";

    public static byte[] LoadOrCreate(string path) => KeyFile.LoadOrCreate(
        path,
        32,
        "Restore it from a backup; deleting it makes a new one, after which the popularity counts start over (only the built-in common passwords are then refused at first).");
}
