using Microsoft.AspNetCore.Diagnostics;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages;

/// <summary>
/// Issue 20: a person who asks for a page that does not exist, or whose page failed, reads a sentence on Tessera's own
/// layout instead of the browser's empty 404 or a JSON error. ASP.NET Core's status code pages decide when (a status of
/// 400–599 and nothing written yet); this handler narrows it to page requests (<see cref="PageRequests"/>) and to three
/// cases — a 404 that no endpoint answered (an unknown path; an endpoint's own 404 stays its own), a page's bare 403
/// (the console to a user who is no administrator), and the exception handler's 500 or 503 — and shows <c>Problem.cshtml</c> in the same request, with the same status.
/// </summary>
internal static class StatusPages
{
    /// <summary>Before routing, so the page's path is routed afresh when the request is run again.</summary>
    public static IApplicationBuilder UseTesseraStatusPages(this IApplicationBuilder app, IssuerUrls urls) =>
        app.UseStatusCodePages(new StatusCodePagesOptions { HandleAsync = context => ShowAsync(context, urls) });

    private static async Task ShowAsync(StatusCodeContext status, IssuerUrls urls)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        var shown = code switch
        {
            StatusCodes.Status404NotFound => context.GetEndpoint() is null,
            // A page that refused its visitor without a word of its own (the console to a user who is no administrator).
            StatusCodes.Status403Forbidden => context.GetEndpoint()?.Metadata.GetMetadata<PageSecurityHeaders.Marker>() is not null,
            StatusCodes.Status500InternalServerError or StatusCodes.Status503ServiceUnavailable => context.Features.Get<IExceptionHandlerFeature>() is not null,
            _ => false,
        };
        if (!shown || !PageRequests.WantsPage(context.Request)) return;

        // What UseStatusCodePagesWithReExecute does, which has no predicate of its own: the same request, run again for the page.
        var request = context.Request;
        var (pathBase, path, query) = (request.PathBase, request.Path, request.QueryString);
        context.Features.Set<IStatusCodeReExecuteFeature>(new ReExecuted
        {
            OriginalPathBase = pathBase.Value ?? "", OriginalPath = path.Value ?? "", OriginalQueryString = query.HasValue ? query.Value : null,
            OriginalStatusCode = code, Endpoint = context.GetEndpoint(), RouteValues = new(request.RouteValues),
        });
        context.SetEndpoint(null);
        request.RouteValues.Clear();
        request.Path = urls.PathBase + PagePaths.Problem + "/" + code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.QueryString = QueryString.Empty;
        try
        {
            await status.Next(context);
        }
        finally
        {
            (request.PathBase, request.Path, request.QueryString) = (pathBase, path, query);
            context.Features.Set<IStatusCodeReExecuteFeature>(null);
        }
    }

    /// <summary>ASP.NET Core's own StatusCodeReExecuteFeature sets the original status only internally.</summary>
    private sealed class ReExecuted : IStatusCodeReExecuteFeature
    {
        public required string OriginalPathBase { get; set; }
        public required string OriginalPath { get; set; }
        public string? OriginalQueryString { get; set; }
        public int OriginalStatusCode { get; init; }
        public Endpoint? Endpoint { get; init; }
        public Microsoft.AspNetCore.Routing.RouteValueDictionary? RouteValues { get; init; }
    }
}
