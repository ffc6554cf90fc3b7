using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Tessera.AspNetCore.Authorization;

namespace Tessera.Samples.Mcp;

/// <summary>On an MCP tool method: a call of that tool needs a token carrying every one of these scopes.</summary>
/// <remarks>
/// Not an ASP.NET Core authorization attribute on purpose: the SDK's own tool authorization (AddAuthorizationFilters)
/// would hide the tool from tools/list and refuse a call with a JSON-RPC error inside a 200, which tells a client
/// nothing it can act on. A listed tool with a 403 insufficient_scope lets it step up (MCP 2025-11-25, Authorization,
/// "Step-Up Authorization Flow").
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ToolScopeAttribute(params string[] scopes) : Attribute
{
    public IReadOnlyList<string> Scopes { get; } = scopes;
}

public static class ToolScopes
{
    private const string ToolsCall = "tools/call";

    /// <summary>
    /// On <c>MapMcp()</c>: a POST carrying a <c>tools/call</c> of a tool marked [ToolScope] is authorized against those
    /// scopes before the MCP SDK reads it. Refused, Tessera answers as for any endpoint: HTTP 403 with
    /// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…", resource_metadata="…"</c> (RFC 6750 §3.1; the
    /// DPoP scheme for a DPoP token, RFC 9449 §7.1), which MCP 2025-11-25 ("Runtime Insufficient Scope Errors") asks of a
    /// server so the client can re-authorize with those scopes.
    /// </summary>
    public static TBuilder RequireToolScopes<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var next = endpoint.RequestDelegate ?? throw new InvalidOperationException("RequireToolScopes needs an endpoint with a request delegate (MapMcp)");
            endpoint.RequestDelegate = context => AuthorizeToolCallAsync(context, next);
        });
        return builder;
    }

    private static async Task AuthorizeToolCallAsync(HttpContext context, RequestDelegate next)
    {
        var scopes = HttpMethods.IsPost(context.Request.Method) ? await ScopesOfCalledToolsAsync(context) : [];
        if (scopes.Count == 0)
        {
            await next(context);
            return;
        }
        var policy = new AuthorizationPolicyBuilder().RequireScope([.. scopes]).Build();
        var services = context.RequestServices;
        var result = await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, policy);
        var outcome = result.Succeeded ? PolicyAuthorizationResult.Success() : PolicyAuthorizationResult.Forbid(result.Failure);
        // Tessera's result handler turns a failed scope requirement into the 403 insufficient_scope challenge.
        await services.GetRequiredService<IAuthorizationMiddlewareResultHandler>().HandleAsync(next, context, policy, outcome);
    }

    /// <summary>The scopes the tools called in this request need: one JSON-RPC message, or each of a batch (2025-03-26).</summary>
    private static async Task<HashSet<string>> ScopesOfCalledToolsAsync(HttpContext context)
    {
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        // The SDK reads the body after us: keep it readable from the start.
        context.Request.EnableBuffering();
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var messages = body.RootElement.ValueKind == JsonValueKind.Array ? body.RootElement.EnumerateArray().ToList() : [body.RootElement];
            var tools = context.RequestServices.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection;
            foreach (var message in messages)
            {
                if (ToolNameOf(message) is { } name && tools is not null && tools.TryGetPrimitive(name, out var tool))
                    scopes.UnionWith(tool.Metadata.OfType<ToolScopeAttribute>().SelectMany(a => a.Scopes));
            }
        }
        catch (JsonException)
        {
            // Not JSON: the SDK answers the parse error itself, and no tool runs.
        }
        context.Request.Body.Position = 0;
        return scopes;
    }

    private static string? ToolNameOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String && method.ValueEquals(ToolsCall)
        && message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
        && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;
}
