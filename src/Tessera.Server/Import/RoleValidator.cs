using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Import;

/// <summary>
/// The roles of an import file, the users' roles and attributes, and the APIs' <c>userAccess</c> and <c>claims</c>:
/// every problem by its JSON path, like the rest of the file.
/// </summary>
internal static partial class RoleValidator
{
    public const int MaxRoleNameLength = 64;
    public const int MaxAttributes = 32;
    public const int MaxClaimsPerApi = 16;

    /// <summary>The claim an API asks for to learn the user's roles (those that carry one of its permissions).</summary>
    public const string RolesClaim = "roles";

    /// <summary>Claims a token writes itself; an attribute by one of these names would overwrite or confuse them.</summary>
    private static readonly HashSet<string> ReservedClaims = new(StringComparer.Ordinal)
    {
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope", "client_id", "act", "may_act", "cnf", "auth_time", "acr",
        "amr", "azp", "nonce", "sid", "at_hash", "c_hash", "typ", "active", "token_type", "username", "roles",
    };

    /// <summary>A role name: letters, digits and . _ - : (it appears in tokens and URLs).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
    private static partial Regex RoleName();

    /// <summary>An attribute name: a JSON claim name without surprises.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex AttributeName();

    public static void ValidateApi(ImportedApi api, string at, List<string> problems)
    {
        if (api.UserAccess is not null && !UserAccessModes.IsKnown(api.UserAccess))
            problems.Add($"{at}.userAccess must be '{UserAccessModes.Consent}' or '{UserAccessModes.Rbac}'");
        ValidateClaimNames(api.Claims, $"{at}.claims", problems);
    }

    /// <summary>"roles" or user attribute names, never a claim the token writes itself.</summary>
    private static void ValidateClaimNames(List<string>? names, string at, List<string> problems)
    {
        if (names is { Count: > MaxClaimsPerApi }) problems.Add($"{at} may name at most {MaxClaimsPerApi} claims");
        for (var j = 0; j < (names?.Count ?? 0); j++)
        {
            var claim = names![j];
            if (claim == RolesClaim) continue;
            if (claim is null || !AttributeName().IsMatch(claim) || ReservedClaims.Contains(claim))
                problems.Add($"{at}[{j}] '{claim}' must be \"roles\" or a user attribute name (not a claim the token writes itself)");
        }
    }

    public static void ValidateClient(ImportedClient client, string at, List<string> problems) =>
        ValidateClaimNames(client.IdTokenClaims, $"{at}.idTokenClaims", problems);

    /// <summary>The roles; returns their names (case-insensitive, as ASP.NET Core Identity compares them).</summary>
    public static HashSet<string> ValidateRoles(List<ImportedRole> roles, HashSet<string> apiScopes, List<string> problems)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < roles.Count; i++)
        {
            var role = roles[i];
            var at = $"$.roles[{i}]";
            if (role is null) { problems.Add($"{at} must be an object, not null"); continue; }
            ValidateRole(role, at, apiScopes, problems);
            if (role.Name is not null && RoleName().IsMatch(role.Name) && !names.Add(role.Name))
                problems.Add($"{at}.name '{role.Name}' appears twice (role names ignore case)");
        }
        return names;
    }

    /// <summary>One role, its problems named under <paramref name="at"/> (a path in the import file, or "$" for the admin API's body).</summary>
    public static void ValidateRole(ImportedRole role, string at, IReadOnlySet<string> apiScopes, List<string> problems)
    {
        if (role.Name is null || role.Name.Length > MaxRoleNameLength || !RoleName().IsMatch(role.Name))
            problems.Add($"{at}.name is required: letters, digits and . _ - :, at most {MaxRoleNameLength} characters");
        if (role.Description is { Length: > TesseraRole.MaxDescriptionLength })
            problems.Add($"{at}.description must be at most {TesseraRole.MaxDescriptionLength} characters");
        for (var j = 0; j < (role.Permissions?.Count ?? 0); j++)
        {
            var permission = role.Permissions![j];
            // tessera:pats stays consent-based; a permission for it would suggest otherwise.
            if (permission is null || !apiScopes.Contains(permission) || permission == BuiltInApi.PatsScope)
                problems.Add($"{at}.permissions[{j}] '{permission}' is not a scope of any API resource");
        }
    }

    public static void ValidateUser(ImportedUser user, string at, HashSet<string> roleNames, List<string> problems)
    {
        for (var j = 0; j < (user.Roles?.Count ?? 0); j++)
        {
            if (user.Roles![j] is not { } role || !roleNames.Contains(role))
                problems.Add($"{at}.roles[{j}] '{user.Roles[j]}' is not a role of this file");
        }
        if (user.Attributes is not { } attributes) return;
        if (attributes.ValueKind != JsonValueKind.Object) { problems.Add($"{at}.attributes must be a JSON object"); return; }
        if (attributes.GetRawText().Length > TesseraUser.MaxAttributesLength)
            problems.Add($"{at}.attributes must be at most {TesseraUser.MaxAttributesLength} characters of JSON");
        var count = 0;
        foreach (var property in attributes.EnumerateObject())
        {
            if (++count > MaxAttributes) { problems.Add($"{at}.attributes may have at most {MaxAttributes} names"); break; }
            if (!AttributeName().IsMatch(property.Name) || ReservedClaims.Contains(property.Name))
                problems.Add($"{at}.attributes.{property.Name} is not an allowed attribute name (letters, digits, _ . -; not a claim the token writes itself)");
            if (!IsAttributeValue(property.Value))
                problems.Add($"{at}.attributes.{property.Name} must be a string, number, boolean, or an array of strings");
        }
    }

    private static bool IsAttributeValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
        JsonValueKind.Array => value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String),
        _ => false,
    };
}
