using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace Moat.Web.Challenges;

/// <summary>
/// Keeps machines from confirming challenges without bothering people: no puzzle, only what a
/// person does anyway. The page carries a sealed time stamp, and a confirmation is accepted
/// only when the button is pressed at least <see cref="MinimumDelay"/> after the page was
/// shown and within a day, with a field left empty that people never see (bots fill in forms).
/// Link scanners that only fetch the page confirm nothing at all, since that takes a POST.
/// </summary>
internal sealed class HumanCheck(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string StampField = "shown";
    public const string TrapField = "website";
    public static readonly TimeSpan MinimumDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumDelay = TimeSpan.FromDays(1);

    private readonly IDataProtector protector = protection.CreateProtector("moat-challenge-page");

    public string IssueStamp() =>
        protector.Protect(clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    public HumanCheckResult Check(string? stamp, string? trap)
    {
        if (!string.IsNullOrEmpty(trap))
        {
            return HumanCheckResult.Refused;
        }

        long shown;
        try
        {
            shown = long.Parse(protector.Unprotect(stamp ?? string.Empty), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return HumanCheckResult.Refused;
        }

        var waited = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(shown);
        return waited < MinimumDelay ? HumanCheckResult.TooFast
            : waited > MaximumDelay ? HumanCheckResult.Refused
            : HumanCheckResult.Passed;
    }
}
