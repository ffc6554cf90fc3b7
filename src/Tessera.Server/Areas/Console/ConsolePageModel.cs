using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Admin;
using Tessera.Server.Pages;
using Tessera.Server.Responses;

namespace Tessera.Server.Areas.Console;

/// <summary>What every console page has: its caller, a notice after a change, and the problems of a refused one.</summary>
internal abstract class ConsolePageModel : PageModel
{
    public ConsoleCaller Caller => ConsoleCaller.Of(HttpContext);

    /// <summary>The pages' words, in the language the request chose.</summary>
    protected IStringLocalizer<PageText> Text => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<PageText>>();

    public string? Notice { get; protected set; }

    public IReadOnlyList<string> Problems { get; protected set; } = [];

    /// <summary>Set when a post that ends something waits for its confirmation: which one (Shared/_Confirm.cshtml asks).</summary>
    public string? Confirming { get; protected set; }

    /// <summary>The page again, asking whether to go on: the destructive post happens only with confirmed=true.</summary>
    protected PageResult Confirm(string action)
    {
        Confirming = action;
        return Page();
    }

    /// <summary>
    /// Runs one admin handler as the admin API runs it (its validation and privilege ceiling inside, its audit event
    /// written by <see cref="AuditedAdminChange"/>); the refusal's words become <see cref="Problems"/>.
    /// </summary>
    protected async Task<IResult> ChangeAsync(string auditType, AuditJoin join, AuditTarget target, Func<Task<IResult>> change)
    {
        var result = (IResult)(await AuditedAdminChange.RunAsync(HttpContext, auditType, join, target, async () => await change()))!;
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        Problems = answer switch
        {
            BadRequestError { Problems: { Count: > 0 } problems } => problems,
            ErrorAnswer error => [error.Error.Description],
            _ => [],
        };
        if (Problems.Count > 0) Response.StatusCode = ((ErrorAnswer)answer).Error.StatusCode;
        return answer;
    }
}
