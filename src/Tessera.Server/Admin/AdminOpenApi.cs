using Microsoft.OpenApi;
using Tessera.Server.Configuration;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// The OpenAPI description of the admin API and the PAT API, served at <c>/openapi/v1.json</c> under the issuer's path.
/// The protocol endpoints are described by RFCs and discovery, not here.
/// </summary>
internal static class AdminOpenApi
{
    public static void AddTesseraOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.ShouldInclude = description => description.RelativePath is { } path
            && (path.Contains("admin", StringComparison.Ordinal) || path.Contains("api/pats", StringComparison.Ordinal));
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Tessera admin and personal-access-token API",
                Version = "v1",
                Description = "Bearer access tokens of this server (RFC 6750): tessera:admin for /admin, a user's tessera:pats for /api/pats. "
                    + "Errors are JSON objects with error and error_description (RFC 6749 §5.2 style).",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An access token issued by this server.",
            };
            return Task.CompletedTask;
        });
    });

    public static void MapTesseraOpenApi(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        app.MapOpenApi(urls.PathBase + EndpointPaths.OpenApi.Replace("v1", "{documentName}", StringComparison.Ordinal));
    }
}
