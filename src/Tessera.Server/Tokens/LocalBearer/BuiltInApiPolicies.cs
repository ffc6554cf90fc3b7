using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// The authorization policies of Tessera's own APIs, every one on the local bearer scheme alone (a session cookie opens
/// none of them), one per permission. Requirements are judged in the order written here; the first that fails decides
/// the answer (<see cref="RefusalResultHandler"/>).
/// </summary>
internal static class BuiltInApiPolicies
{
    /// <summary>
    /// The admin API: an administrative client's own token, or a user's from a client marked administration
    /// (<see cref="AdministratorTokenRequirement"/>); each operation adds its permission (<see cref="AdminRead"/>, <see cref="AdminWrite"/>).
    /// </summary>
    public const string Admin = "tessera.admin";

    /// <summary>Reading one part of the admin API (its area: clients, apis, users, keys, roles).</summary>
    public static string AdminRead(string area) => $"tessera.admin.{area}.read";

    /// <summary>Changing one part of the admin API.</summary>
    public static string AdminWrite(string area) => $"tessera.admin.{area}.write";

    /// <summary>Listing and revoking one's personal access tokens: tessera:pats on a user's token.</summary>
    public const string PersonalAccessTokens = "tessera.pats";

    /// <summary>Creating a personal access token: as <see cref="PersonalAccessTokens"/>, from a recent sign-in.</summary>
    public const string PersonalAccessTokenCreation = "tessera.pats.create";

    /// <summary>The provider-token API: tessera:provider-tokens (which user's tokens a caller may see, the endpoint decides).</summary>
    public const string ProviderTokens = "tessera.provider-tokens";

    public static readonly FrozenSet<string> All =
        new[] { Admin, PersonalAccessTokens, PersonalAccessTokenCreation, ProviderTokens }
            .Concat(BuiltInApi.AdminAreas.SelectMany(area => new[] { AdminRead(area), AdminWrite(area) })).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The scheme, these policies, their requirement handlers and the result handler that answers refusals.</summary>
    public static void AddBuiltInApiAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication().AddLocalBearer();
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<TesseraOptions>>((authorization, tessera) =>
        {
            authorization.AddPolicy(Admin, Policy(new AdministratorTokenRequirement(), new AdministratorSecondFactorRequirement()));
            foreach (var area in BuiltInApi.AdminAreas)
            {
                authorization.AddPolicy(AdminRead(area), Policy(new AdminPermissionRequirement(area, write: false)));
                authorization.AddPolicy(AdminWrite(area), Policy(new AdminPermissionRequirement(area, write: true)));
            }
            authorization.AddPolicy(PersonalAccessTokens, Policy(new ScopeRequirement(BuiltInApi.PatsScope), new UserTokenRequirement()));
            authorization.AddPolicy(PersonalAccessTokenCreation, Policy(new ScopeRequirement(BuiltInApi.PatsScope), new UserTokenRequirement(),
                new RecentSignInRequirement(tessera.Value.PersonalAccessTokens)));
            authorization.AddPolicy(ProviderTokens, Policy(new ScopeRequirement(BuiltInApi.ProviderTokensScope)));
        });
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, AdministratorTokenRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, AdministratorSecondFactorRequirementHandler>();
        services.AddSingleton<AdminCallerPermissions>();
        services.AddSingleton<IAuthorizationHandler, AdminPermissionRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, UserTokenRequirementHandler>();
        services.AddSingleton<IAuthorizationHandler, RecentSignInRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalResultHandler>();
    }

    private static AuthorizationPolicy Policy(params RefusingRequirement[] requirements) =>
        new AuthorizationPolicyBuilder(LocalBearerScheme.Name).RequireAuthenticatedUser().AddRequirements(requirements).Build();
}
