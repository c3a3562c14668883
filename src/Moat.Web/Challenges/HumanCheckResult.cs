namespace Moat.Web.Challenges;

public enum HumanCheckResult
{
    Passed,

    /// <summary>Pressed sooner than a person reads a page: show the button again.</summary>
    TooFast,

    /// <summary>No valid stamp, or the trap field was filled in.</summary>
    Refused,
}
