using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Catalog;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// One part of the admin API: <c>tessera:admin:&lt;area&gt;</c> reads and changes that part, <c>tessera:admin:read</c>
/// reads every part but the audit trail, and <c>tessera:admin</c> does everything (the scope before the split).
/// </summary>
internal sealed class AdminPermissionRequirement(string area, bool write) : RefusingRequirement
{
    public string Area { get; } = area;
    public bool Write { get; } = write;

    /// <summary>The narrowest scope that opens this operation, for the challenge.</summary>
    public string NeededScope => Write || Area == "audit" ? BuiltInApi.AreaScope(Area) : BuiltInApi.AdminReadScope;

    // RFC 6750 §3.1: insufficient_scope, 403, naming the scope the operation needs.
    public override OAuthError Refusal => OAuthError.InsufficientScope(
        Write ? $"changing {Area} needs the {BuiltInApi.AreaScope(Area)} scope" : $"reading {Area} needs the {NeededScope} or {BuiltInApi.AreaScope(Area)} scope",
        NeededScope);

    public bool IsMetBy(IReadOnlyCollection<string> scopes) =>
        scopes.Contains(BuiltInApi.AdminScope) || scopes.Contains(BuiltInApi.AreaScope(Area))
        || (!Write && Area != "audit" && scopes.Contains(BuiltInApi.AdminReadScope));
}

internal sealed class AdminPermissionRequirementHandler(AdminCallerPermissions callers) : AuthorizationHandler<AdminPermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminPermissionRequirement requirement)
    {
        var held = context.Resource is HttpContext request ? await callers.OfAsync(request) : await callers.OfAsync(context.User, CancellationToken.None);
        if (requirement.IsMetBy(held)) context.Succeed(requirement);
    }
}
