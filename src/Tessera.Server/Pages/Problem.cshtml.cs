using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Tessera.Server.Pages;

/// <summary>
/// The page a person sees for an unknown address or a failure (StatusPages): a sentence first, the status in small
/// print, a way back. It reads nothing from the database (it is shown while the database is down) and never shows the
/// exception. Opened directly, it is a "not found" page.
/// </summary>
public sealed class ProblemModel(IStringLocalizer<PageText> text) : PageModel
{
    public int Code { get; private set; } = StatusCodes.Status404NotFound;

    public string Title => Code switch
    {
        StatusCodes.Status404NotFound => text["Page not found"],
        StatusCodes.Status403Forbidden => text["Not allowed"],
        StatusCodes.Status503ServiceUnavailable => text["Try again in a moment"],
        _ => text["Something went wrong"],
    };

    public string Sentence => Code switch
    {
        StatusCodes.Status404NotFound => text["There is no page at this address. Check the address, or go to your account."],
        StatusCodes.Status403Forbidden => text["Your account may not open this page. If you need it, ask an administrator."],
        StatusCodes.Status503ServiceUnavailable => text["The sign-in service cannot answer right now. Try again in a moment."],
        _ => text["Something went wrong on our side and this page could not be shown. Try again, or come back later."],
    };

    public void OnGet()
    {
        // Only the status the request really ended with; a visitor cannot make this page claim a failure.
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode;
        if (original is StatusCodes.Status403Forbidden or StatusCodes.Status500InternalServerError or StatusCodes.Status503ServiceUnavailable) Code = original.Value;
        Response.StatusCode = Code;
    }
}
