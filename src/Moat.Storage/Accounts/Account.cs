namespace Moat.Storage.Accounts;

/// <summary>
/// One login. <see cref="Name"/> is the user's e-mail address in canonical form (trimmed, lower
/// case). <see cref="PasswordHash"/> is a PHC string (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>);
/// nothing that could be turned back into the password is kept.
/// </summary>
/// <param name="PasswordTooPopular">Set at login when too many accounts share this password, so the user can be told to change it.</param>
/// <param name="SketchPositions">
/// The flat counter positions (row × width + column) that this account's password incremented
/// in the popularity sketch, one per row. They let a password change or removal decrement
/// exactly what was added without knowing the old password.
/// </param>
public sealed record Account(
    string Name,
    AccountRole Role,
    string PasswordHash,
    bool Locked,
    DateTimeOffset Created,
    DateTimeOffset PasswordChanged,
    DateTimeOffset? LastLogin,
    bool PasswordTooPopular,
    IReadOnlyList<int> SketchPositions);
