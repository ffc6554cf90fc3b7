using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Tessera.Server.Responses;

namespace Tessera.Server.Pages;

/// <summary>A plain error page for problems that must not be sent back to a client (RFC 6749 §4.1.2.1).</summary>
public sealed class ErrorModel(ErrorPages errors, IStringLocalizer<PageText> text) : PageModel
{
    public string? Code { get; private set; }
    public string Description { get; private set; } = "The request could not be completed.";

    /// <summary>What a person reads first: a sentence, not the protocol's words.</summary>
    public string Sentence => ErrorSentences.For(Code, text);

    public void OnGet(string? id)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        if (errors.Read(id) is not { } error) return;
        Code = error.Error;
        Description = error.Description;
    }
}
