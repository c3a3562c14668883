namespace Moat.Web.TrustLists;

/// <summary>
/// Whose list a request works on: <see cref="Owner"/> in canonical form, or why not.
/// <see cref="Forbidden"/> (answered with 403) is a user asking for a list that is not theirs;
/// <see cref="Problem"/> is an administrator's owner that is no address.
/// </summary>
internal sealed record TrustOwnerChoice(string? Owner, bool Forbidden, string? Problem)
{
    public static TrustOwnerChoice Allowed(string owner) => new(owner, false, null);

    public static TrustOwnerChoice Refused() => new(null, true, null);

    public static TrustOwnerChoice Invalid(string problem) => new(null, false, problem);
}
