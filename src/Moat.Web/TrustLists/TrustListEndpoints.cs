using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moat.Storage.Trust;
using Moat.Trust;
using Moat.Web.Pages.Shared;
using Moat.Web.Rendering;
using Moat.Web.Security;

namespace Moat.Web.TrustLists;

/// <summary>
/// The allow-list pages under /trust: each user edits their own list; administrators also the
/// organisation's and any user's, and see the challenges still waiting for an answer. Every
/// change, import and export is written to the access log before it happens, so a failed log
/// write stops the change rather than leave it unrecorded.
/// </summary>
internal static class TrustListEndpoints
{
    public static void Map(RouteGroupBuilder signedIn, WebAdminServices services) =>
        Map(signedIn, services, challenges: null);

    /// <param name="challenges">The challenge store; null when the trust filter is off (no pending challenges then).</param>
    /// <param name="challengeHoldTime">How long a challenge can be answered (<c>trust.challenge.holdTime</c>); the default when null.</param>
    public static void Map(RouteGroupBuilder signedIn, WebAdminServices services, IChallengeStore? challenges, TimeSpan? challengeHoldTime = null)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        ArgumentNullException.ThrowIfNull(services);
        var renderer = new TrustPageRenderer(services, challenges, challengeHoldTime ?? new ChallengeOptions().HoldTime);

        signedIn.MapGet("/trust", async (HttpContext context) =>
        {
            var query = context.Request.Query;
            var choice = TrustOwnerAccess.Resolve(context.User, query["owner"]);
            if (choice.Forbidden)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (choice.Problem is not null)
            {
                // An administrator's typo: show their own list and say what was wrong with the name.
                var own = TrustOwnerAccess.OwnList(context.User);
                return own is null
                    ? Results.StatusCode(StatusCodes.Status403Forbidden)
                    : await renderer.RenderAsync(context, own, error: $"{choice.Problem} Give a user's address, or * for the organisation's list.", statusCode: StatusCodes.Status400BadRequest);
            }

            var status = TrustStatusMessages.For(query["done"], query["pattern"], query["count"], query["skipped"]);
            return await renderer.RenderAsync(context, choice.Owner!, status: status);
        });

        signedIn.MapPost("/trust/add", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (Refusal(context, form, out var owner) is { } refusal)
            {
                return refusal;
            }

            var patternText = form["pattern"].ToString();
            var expiresText = form["expiresInDays"].ToString();
            var now = services.Clock.GetUtcNow();
            if (!TrustEntryInput.TryParsePattern(patternText, out var pattern, out var problem)
                || !TrustEntryInput.TryParseExpiry(expiresText, now, out var expires, out problem))
            {
                return await renderer.RenderAsync(context, owner, error: problem, statusCode: StatusCodes.Status400BadRequest, pattern: patternText, expiresInDays: expiresText);
            }

            var entry = new TrustEntry(owner, pattern, TrustSource.Manual, now, expires);
            var existed = await ContainsAsync(services.Trust, owner, pattern, context.RequestAborted);
            await services.AccessLog.AppendAsync(TrustAccessRecords.Added(context.User.Name(), entry, existed), context.RequestAborted);
            await services.Trust.AddAsync(entry, context.RequestAborted);
            return Redirect(context, owner, existed ? TrustStatusMessages.Updated : TrustStatusMessages.Added, ("pattern", pattern));
        })
        .AddEndpointFilter<CsrfFilter>();

        signedIn.MapPost("/trust/remove", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (Refusal(context, form, out var owner) is { } refusal)
            {
                return refusal;
            }

            if (!TrustEntryInput.TryParsePattern(form["pattern"], out var pattern, out var problem))
            {
                return await renderer.RenderAsync(context, owner, error: problem, statusCode: StatusCodes.Status400BadRequest);
            }

            if (!await ContainsAsync(services.Trust, owner, pattern, context.RequestAborted))
            {
                // Removed meanwhile, e.g. in another tab or by the CLI: say so rather than pretend.
                return await renderer.RenderAsync(
                    context,
                    owner,
                    error: $"{pattern} is not on {TrustOwnerAccess.Describe(owner, context.User)} (any more).",
                    statusCode: StatusCodes.Status404NotFound);
            }

            await services.AccessLog.AppendAsync(TrustAccessRecords.Removed(context.User.Name(), owner, pattern), context.RequestAborted);
            await services.Trust.RemoveAsync(owner, pattern, context.RequestAborted);
            return Redirect(context, owner, TrustStatusMessages.Removed, ("pattern", pattern));
        })
        .AddEndpointFilter<CsrfFilter>();

        signedIn.MapPost("/trust/import", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (Refusal(context, form, out var owner) is { } refusal)
            {
                return refusal;
            }

            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0)
            {
                return await renderer.RenderAsync(context, owner, error: "Choose a contacts file (CSV or vCard) to import.", statusCode: StatusCodes.Status400BadRequest);
            }

            if (file.Length > TrustImport.MaxFileBytes)
            {
                return await renderer.RenderAsync(
                    context,
                    owner,
                    error: $"The file is larger than {TrustImport.MaxFileBytes / 1024 / 1024} MiB; choose a smaller one, or split it.",
                    statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            var now = services.Clock.GetUtcNow();
            await using var content = file.OpenReadStream();
            var contacts = await TrustImport.ReadAsync(content, file.FileName, TrustImport.ParseFormat(form["format"]), context.RequestAborted);
            var entries = TrustImport.ToEntries(contacts, owner, now);
            if (entries.Count == 0)
            {
                return await renderer.RenderAsync(context, owner, error: TrustImport.NothingFound(contacts), statusCode: StatusCodes.Status400BadRequest);
            }

            await services.AccessLog.AppendAsync(
                TrustAccessRecords.Imported(context.User.Name(), owner, entries.Count, contacts.Invalid, file.FileName),
                context.RequestAborted);
            await services.Trust.AddRangeAsync(entries, context.RequestAborted);
            return Redirect(
                context,
                owner,
                TrustStatusMessages.Imported,
                ("count", entries.Count.ToString(CultureInfo.InvariantCulture)),
                ("skipped", contacts.Invalid.ToString(CultureInfo.InvariantCulture)));
        })
        .AddEndpointFilter<TrustUploadLimitFilter>()
        .AddEndpointFilter<CsrfFilter>();

        signedIn.MapGet("/trust/export", async (HttpContext context) =>
        {
            var choice = TrustOwnerAccess.Resolve(context.User, context.Request.Query["owner"]);
            if (choice.Owner is not { } owner)
            {
                return choice.Forbidden ? Results.StatusCode(StatusCodes.Status403Forbidden) : BadOwner(choice.Problem!);
            }

            var entries = await services.Trust.ListAsync(owner, context.RequestAborted);
            await services.AccessLog.AppendAsync(TrustAccessRecords.Exported(context.User.Name(), owner, entries.Count), context.RequestAborted);
            var csv = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(TrustCsvExport.Write(entries));
            return Results.File(csv, TrustCsvExport.ContentType, TrustCsvExport.FileName(owner));
        });
    }

    /// <summary>The list a form names, or the answer when this user may not change it.</summary>
    private static IResult? Refusal(HttpContext context, IFormCollection form, out string owner)
    {
        var choice = TrustOwnerAccess.Resolve(context.User, form["owner"]);
        owner = choice.Owner ?? string.Empty;
        return choice.Owner is not null ? null
            : choice.Forbidden ? Results.StatusCode(StatusCodes.Status403Forbidden)
            : BadOwner(choice.Problem!);
    }

    private static IResult BadOwner(string problem) =>
        PageResult.Of<StatusPage>(
            new Dictionary<string, object?>
            {
                [nameof(StatusPage.Title)] = "No such list",
                [nameof(StatusPage.Message)] = $"{problem} Give a user's address, or * for the organisation's list.",
            },
            StatusCodes.Status400BadRequest);

    private static async Task<bool> ContainsAsync(ITrustStore trust, string owner, string pattern, CancellationToken cancellationToken) =>
        (await trust.ListAsync(owner, cancellationToken)).Any(e => e.Pattern == pattern);

    /// <summary>POST-redirect-GET back to the same list, with what happened for the status line.</summary>
    private static IResult Redirect(HttpContext context, string owner, string done, params (string Name, string Value)[] details)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        if (owner != TrustOwnerAccess.OwnList(context.User))
        {
            parameters.Add(new("owner", owner));
        }

        parameters.Add(new("done", done));
        parameters.AddRange(details.Select(d => new KeyValuePair<string, string?>(d.Name, d.Value)));
        return Results.Redirect("/trust" + QueryString.Create(parameters));
    }
}
