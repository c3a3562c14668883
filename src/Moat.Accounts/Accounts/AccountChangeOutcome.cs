namespace Moat.Accounts.Accounts;

public enum AccountChangeOutcome
{
    Done,

    /// <summary>The name is not an e-mail address.</summary>
    InvalidName,

    AlreadyExists,

    NotFound,

    /// <summary>The password is empty, too short or too long.</summary>
    PasswordUnacceptable,

    /// <summary>Too many accounts use the password already.</summary>
    PasswordTooPopular,
}
