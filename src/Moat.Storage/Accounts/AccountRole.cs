namespace Moat.Storage.Accounts;

/// <summary>What an account may do. Stored as the lower-case word (<c>administrator</c>, <c>user</c>).</summary>
public enum AccountRole
{
    User,
    Administrator,
}
