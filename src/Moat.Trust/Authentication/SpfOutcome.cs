namespace Moat.Trust.Authentication;

/// <summary>
/// The SPF result for one identity. <paramref name="Domain"/> is the domain checked: the MAIL FROM
/// domain, or the HELO name for the null sender. <paramref name="Explanation"/> is, for
/// <see cref="SpfResult.Fail"/>, the domain's own explanation from its <c>exp=</c> modifier
/// (sender-controlled text, printable ASCII only); for <see cref="SpfResult.TempError"/> and
/// <see cref="SpfResult.PermError"/> it is our diagnostic (why the check gave up); otherwise null.
/// </summary>
public sealed record SpfOutcome(SpfResult Result, string Domain, string? Explanation);
