using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moat.Storage.AccessLog;
using Moat.Web.Metrics;
using Moat.Storage.Trust;
using Moat.Web.Pages;
using Moat.Web.Pages.Shared;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.Quarantine;

/// <summary>
/// /quarantine: search, open, release, release and trust the sender, delete, download. Every
/// look at content and every release or deletion is written to the access log before it happens.
/// </summary>
internal static class QuarantineEndpoints
{
    private const int MinimumReasonLength = 5;

    public static void Map(RouteGroupBuilder signedIn, WebAdminServices services)
    {
        signedIn.MapGet("/quarantine", async (string? q, string? done, string? notice, HttpContext context) =>
        {
            var user = context.User;
            var visible = (await services.Quarantine.ListAsync(context.RequestAborted))
                .Where(m => QuarantinePolicy.CanSee(user, m) && Matches(m, q))
                .ToList();
            return PageResult.Of<QuarantinePage>(new Dictionary<string, object?>
            {
                [nameof(QuarantinePage.Messages)] = visible,
                [nameof(QuarantinePage.Query)] = q,
                [nameof(QuarantinePage.Done)] = done switch
                {
                    "released" => "Released: the message is on its way.",
                    "released-trusted" => "Released, and the sender is now on the allow-list.",
                    "threat-found" => "Not released: checked again with today's virus signatures, the message contains a threat. It stays held, under that verdict now.",
                    "not-checked" => "Not released: the message could not be checked for viruses just now. Try again later.",
                    "deleted" => "Deleted.",
                    _ when notice == Dashboard.DashboardEndpoints.PopularPasswordNotice => Dashboard.DashboardEndpoints.PopularPasswordText(user.Name()),
                    _ => null,
                },
            });
        });

        signedIn.MapGet("/quarantine/{id}", async (string id, HttpContext context) =>
        {
            var message = await services.Quarantine.FindAsync(id, context.RequestAborted);
            if (Refusal(context, message) is { } refusal)
            {
                return refusal;
            }

            if (QuarantinePolicy.NeedsReason(context.User, message!))
            {
                return MessagePage(context, message!, content: null, reason: null, error: null);
            }

            return await OpenAsync(services, context, message!, reason: null);
        });

        signedIn.MapPost("/quarantine/{id}/open", async (string id, HttpContext context) =>
        {
            var message = await services.Quarantine.FindAsync(id, context.RequestAborted);
            if (Refusal(context, message) is { } refusal)
            {
                return refusal;
            }

            var reason = await ReasonAsync(context);
            if (QuarantinePolicy.NeedsReason(context.User, message!) && reason is null)
            {
                return MessagePage(context, message!, null, null, $"State why you open this message (at least {MinimumReasonLength} characters); it is recorded in the access log, which its recipients can read.");
            }

            return await OpenAsync(services, context, message!, reason);
        }).AddEndpointFilter<CsrfFilter>();

        signedIn.MapPost("/quarantine/{id}/download", async (string id, HttpContext context) =>
        {
            var message = await services.Quarantine.FindAsync(id, context.RequestAborted);
            if (Refusal(context, message) is { } refusal)
            {
                return refusal;
            }

            var reason = await ReasonAsync(context);
            if (QuarantinePolicy.NeedsReason(context.User, message!) && reason is null)
            {
                return MessagePage(context, message!, null, null, "State why you download this message first.");
            }

            var content = services.Quarantine.OpenContent(message!.Id);
            if (content is null)
            {
                return Results.Redirect("/quarantine");
            }

            await Log(services, context, AccessActions.Download, message, reason);
            return Results.File(content, "message/rfc822", message.Id + ".eml");
        }).AddEndpointFilter<CsrfFilter>();

        signedIn.MapPost("/quarantine/{id}/release", (string id, HttpContext context) =>
            ReleaseAsync(services, context, id, trustSender: false)).AddEndpointFilter<CsrfFilter>();

        signedIn.MapPost("/quarantine/{id}/release-trust", (string id, HttpContext context) =>
            ReleaseAsync(services, context, id, trustSender: true)).AddEndpointFilter<CsrfFilter>();

        signedIn.MapPost("/quarantine/{id}/delete", async (string id, HttpContext context) =>
        {
            var message = await services.Quarantine.FindAsync(id, context.RequestAborted);
            if (Refusal(context, message) is { } refusal)
            {
                return refusal;
            }

            if (!QuarantinePolicy.CanDelete(context.User, message!))
            {
                return Forbidden("Only an administrator may delete a message that other people received too.");
            }

            await Log(services, context, AccessActions.Delete, message!, null);
            await ReviewLearning.LearnAsync(services, message!, isSpam: true, context.RequestAborted);
            services.Quarantine.Delete(message!.Id);
            return Results.Redirect("/quarantine?done=deleted");
        }).AddEndpointFilter<CsrfFilter>();
    }

    private static async Task<IResult> ReleaseAsync(WebAdminServices services, HttpContext context, string id, bool trustSender)
    {
        var message = await services.Quarantine.FindAsync(id, context.RequestAborted);
        if (Refusal(context, message) is { } refusal)
        {
            return refusal;
        }

        if (!QuarantinePolicy.CanRelease(context.User, message!))
        {
            return Forbidden("Mail held by the antivirus can only be released by an administrator.");
        }

        // An administrator releasing mail the antivirus held overrules that verdict knowingly;
        // everything else is scanned again with today's signatures first.
        await using var learnFrom = ReviewLearning.OpenForRelease(services.ListContent, services.Quarantine, message!);
        // A user releases their own copy; the other recipients' stays held until they decide.
        var forRecipient = context.User.IsAdministrator() ? null : context.User.Name();
        var result = await services.Quarantine.ReleaseAsync(message!.Id, check: !QuarantinePolicy.IsAntivirusVerdict(message.Reason), forRecipient, context.RequestAborted);
        switch (result)
        {
            case ReleaseResult.NotHeld:
                return Results.Redirect("/quarantine");
            case ReleaseResult.ThreatFound:
                return Results.Redirect("/quarantine?done=threat-found");
            case ReleaseResult.NotChecked:
                return Results.Redirect("/quarantine?done=not-checked");
        }

        await Log(services, context, trustSender ? AccessActions.ReleaseAndTrust : AccessActions.Release, message, null);
        await ReviewLearning.LearnReleasedAsync(services.ListContent, learnFrom, context.RequestAborted);

        if (trustSender && message.Sender.Length > 0)
        {
            // The sender becomes trusted for the people it wrote to: for a user that is themself;
            // an administrator releases on behalf of every recipient.
            var owners = context.User.IsAdministrator()
                ? message.Recipients.Select(r => r.ToLowerInvariant()).Distinct().ToList()
                : [context.User.Name()];
            var now = services.Clock.GetUtcNow();
            await services.Trust.AddRangeAsync(
                owners.Select(owner => new TrustEntry(owner, message.Sender.ToLowerInvariant(), TrustSource.Manual, now)).ToList(),
                context.RequestAborted);
        }

        return Results.Redirect(trustSender ? "/quarantine?done=released-trusted" : "/quarantine?done=released");
    }

    private static async Task<IResult> OpenAsync(WebAdminServices services, HttpContext context, QuarantinedMessage message, string? reason)
    {
        await using var raw = services.Quarantine.OpenContent(message.Id);
        if (raw is null)
        {
            return Results.Redirect("/quarantine");
        }

        // Logged before the content leaves the server: an access that fails half-way is still an access.
        await Log(services, context, AccessActions.View, message, reason);
        var content = await MessageContentReader.ReadAsync(raw, context.RequestAborted);
        return MessagePage(context, message, content, reason, null);
    }

    private static async Task Log(WebAdminServices services, HttpContext context, string action, QuarantinedMessage message, string? reason)
    {
        await services.AccessLog.AppendAsync(
            new AccessLogRecord(context.User.Name(), action, message.Id, message.DataSubjects, reason, "held because: " + message.Reason),
            context.RequestAborted);
        context.RequestServices.GetRequiredService<WebMetrics>().QuarantineAction(action);
    }

    private static async Task<string?> ReasonAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var reason = form["reason"].ToString().Trim();
        return reason.Length >= MinimumReasonLength ? reason : null;
    }

    private static IResult? Refusal(HttpContext context, QuarantinedMessage? message) =>
        message is null
            ? PageResult.Of<StatusPage>(
                new Dictionary<string, object?>
                {
                    [nameof(StatusPage.Title)] = "Not held",
                    [nameof(StatusPage.Message)] = "This message is not in quarantine (any more): it was released, deleted or purged.",
                },
                StatusCodes.Status404NotFound)
            : QuarantinePolicy.CanSee(context.User, message) ? null : Forbidden("This message was not sent to you.");

    private static IResult Forbidden(string why) =>
        PageResult.Of<StatusPage>(
            new Dictionary<string, object?> { [nameof(StatusPage.Title)] = "Not allowed", [nameof(StatusPage.Message)] = why },
            StatusCodes.Status403Forbidden);

    private static IResult MessagePage(HttpContext context, QuarantinedMessage message, MessageContent? content, string? reason, string? error) =>
        PageResult.Of<QuarantineMessagePage>(new Dictionary<string, object?>
        {
            [nameof(QuarantineMessagePage.Message)] = message,
            [nameof(QuarantineMessagePage.Content)] = content,
            [nameof(QuarantineMessagePage.GivenReason)] = reason,
            [nameof(QuarantineMessagePage.Error)] = error,
            [nameof(QuarantineMessagePage.NeedsReason)] = QuarantinePolicy.NeedsReason(context.User, message),
            [nameof(QuarantineMessagePage.CanRelease)] = QuarantinePolicy.CanRelease(context.User, message),
            [nameof(QuarantineMessagePage.CanDelete)] = QuarantinePolicy.CanDelete(context.User, message),
        });

    private static bool Matches(QuarantinedMessage message, string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return true;
        }

        var q = query.Trim();
        return message.Sender.Contains(q, StringComparison.OrdinalIgnoreCase)
            || message.Recipients.Any(r => r.Contains(q, StringComparison.OrdinalIgnoreCase))
            || (message.Subject?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
            || message.Reason.Contains(q, StringComparison.OrdinalIgnoreCase)
            || message.Id.Equals(q, StringComparison.OrdinalIgnoreCase);
    }
}
