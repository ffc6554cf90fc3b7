using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Tessera.Server.Configuration;
using Tessera.Server.Responses;
using Tessera.Server.Tokens.LocalBearer;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Admin;

/// <summary>
/// The OpenAPI description of Tessera's own APIs (admin, PAT and provider-token: every endpoint under a
/// <see cref="BuiltInApiPolicies"/> policy), served at <c>/openapi/v1.json</c> under the issuer's path. Each operation's
/// own answers come from its typed results; the 401 and 403 of its policy are added here from the same metadata that
/// makes the authorization middleware ask for them. The protocol endpoints are described by RFCs and discovery, not here.
/// </summary>
internal static class AdminOpenApi
{
    public static void AddTesseraOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.ShouldInclude = description => BuiltInApiPolicy(description.ActionDescriptor.EndpointMetadata) is not null;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Tessera admin, personal-access-token and provider-token API",
                Version = "v1",
                Description = "Bearer access tokens of this server (RFC 6750): tessera:admin for /admin, a user's tessera:pats for /api/pats, "
                    + "tessera:provider-tokens for /api/users/{sub}/identities/{provider}/token. "
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
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (BuiltInApiPolicy(context.Description.ActionDescriptor.EndpointMetadata) is null) return;
            var error = await context.GetOrCreateSchemaAsync(typeof(ErrorBody), cancellationToken: cancellationToken);
            operation.Responses ??= [];
            // RFC 6750 §3.1 (and RFC 9470 §3 where a recent sign-in is required): what the policy refuses with.
            operation.Responses.TryAdd("401", Refusal("No token (a bare challenge), or invalid_token: not a valid token of this server for this API.", error));
            operation.Responses.TryAdd("403", Refusal("insufficient_scope: the token lacks the scope this API needs.", error));
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
        });
    });

    public static void MapTesseraOpenApi(this WebApplication app)
    {
        var urls = app.Services.GetRequiredService<IssuerUrls>();
        app.MapOpenApi(urls.PathBase + EndpointPaths.OpenApi.Replace("v1", "{documentName}", StringComparison.Ordinal));
    }

    private static string? BuiltInApiPolicy(IList<object> metadata) =>
        metadata.OfType<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null && BuiltInApiPolicies.All.Contains(p));

    private static OpenApiResponse Refusal(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };
}
