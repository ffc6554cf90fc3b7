using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Users;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Areas.Console;

/// <summary>
/// Who may open a console page, checked before any handler runs: a visitor without a session is sent to sign in; a user
/// whose roles give no admin permission gets 403; an administrator whose sign-in gave no second factor gives one first
/// (the admin API refuses a person's token without one too); and the page's area (<see cref="ConsoleAreaAttribute"/>)
/// needs the right to read it for GET and HEAD, and the right to change it for every other method.
/// </summary>
internal sealed class ConsoleAccessFilter(UserManager<TesseraUser> users, UserPermissions permissions, IssuerUrls urls) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        // What the console shows (addresses, sessions, the audit trail) stays out of caches and the back button's history.
        http.Response.Headers.CacheControl = "no-store";
        if (http.User.Identity?.IsAuthenticated != true || await users.GetUserAsync(http.User) is not { } user)
        {
            context.Result = new ChallengeResult(IdentityConstants.ApplicationScheme, new AuthenticationProperties { RedirectUri = Here(http) });
            return;
        }

        var held = (await permissions.OfAsync(user.Id, http.RequestAborted)).Where(BuiltInApi.IsAdminScope).ToHashSet(StringComparer.Ordinal);
        if (held.Count == 0)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        var secondFactorPage = context.ActionDescriptor.ModelTypeInfo?.AsType() == typeof(Pages.SecondFactorModel);
        if (!SessionClaims.GaveSecondFactor(http.User) && !secondFactorPage)
        {
            // A session that gave a password only: the code page steps it up without the password again, then comes back.
            context.Result = await SecondFactors.HasAnyAsync(users, user)
                ? new RedirectResult(QueryHelpers.AddQueryString(urls.PathBase + PagePaths.TwoFactor, "returnUrl", Here(http)))
                : new RedirectResult(urls.PathBase + ConsolePaths.SecondFactor);
            return;
        }

        var caller = new ConsoleCaller(user.Id, user.UserName ?? user.Id, held);
        if (context.ActionDescriptor.ModelTypeInfo?.GetCustomAttribute<ConsoleAreaAttribute>() is { } area)
        {
            var reading = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
            if (reading ? !caller.CanRead(area.Area) : !caller.CanChange(area.Area))
            {
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                return;
            }
        }
        else if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            // A page of no area changes nothing: a post to it is a mistake or a probe.
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        caller.Remember(http);
        // The privilege ceiling of the admin handlers reads the session's permissions as it reads a token's scopes.
        AdminCallerPermissions.RememberForSession(http, held);
        await next();
    }

    /// <summary>A GET comes back to itself after sign-in; a post (its form is gone) to the page it was posted from.</summary>
    private static string Here(HttpContext http) =>
        http.Request.PathBase + http.Request.Path + (HttpMethods.IsGet(http.Request.Method) ? http.Request.QueryString.Value : "");
}
