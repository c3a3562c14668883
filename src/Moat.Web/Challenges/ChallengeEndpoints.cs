using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moat.Trust.Challenges;
using Moat.Web.Pages.Public;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.Challenges;

/// <summary>
/// The public page a challenged sender opens: no login, one button. Opening the link (GET) only
/// shows the button, because link scanners and mail previews fetch links on their own; pressing
/// it (POST) confirms. The token in the path is the secret; the page sends no referrer and loads
/// nothing from elsewhere.
/// </summary>
internal static class ChallengeEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ChallengeService challenges)
    {
        app.MapGet("/challenge/{token}", (string token, HttpContext context) => Form(context, token, null));

        app.MapPost("/challenge/{token}", async (string token, HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var check = context.RequestServices.GetRequiredService<HumanCheck>()
                .Check(form[HumanCheck.StampField], form[HumanCheck.TrapField]);
            if (check == HumanCheckResult.TooFast)
            {
                return Form(context, token, "Please press the button once more to confirm.");
            }

            if (check == HumanCheckResult.Refused)
            {
                return Form(context, token, "This confirmation could not be accepted. Please press the button again.", StatusCodes.Status400BadRequest);
            }

            var result = await challenges.ConfirmAsync(token, context.RequestAborted);
            return result.Status switch
            {
                ConfirmationStatus.Confirmed => Outcome("Thank you", "Your message is on its way, and your next ones will arrive directly."),
                ConfirmationStatus.AlreadyConfirmed => Outcome("Already confirmed", "This message was confirmed before; nothing more to do."),
                _ => Outcome("Link not valid", "This confirmation link is not valid or has expired. Send your message again to get a new one.", StatusCodes.Status404NotFound),
            };
        })
        .AddEndpointFilter<CsrfFilter>();
    }

    private static IResult Form(HttpContext context, string token, string? note, int status = StatusCodes.Status200OK) =>
        PageResult.Of<ChallengePage>(
            new Dictionary<string, object?>
            {
                [nameof(ChallengePage.Token)] = token,
                [nameof(ChallengePage.Stamp)] = context.RequestServices.GetRequiredService<HumanCheck>().IssueStamp(),
                [nameof(ChallengePage.Note)] = note,
            },
            status);

    private static IResult Outcome(string title, string text, int status = StatusCodes.Status200OK) =>
        PageResult.Of<ChallengePage>(
            new Dictionary<string, object?> { [nameof(ChallengePage.Title)] = title, [nameof(ChallengePage.Outcome)] = text },
            status);
}
