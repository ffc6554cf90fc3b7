using Tessera.Server.Tokens.LocalBearer;

namespace Tessera.Server.Areas.Console;

/// <summary>
/// The signed-in administrator of a console request: who they are and the admin permissions their roles give them now
/// (read afresh on every request, so a role taken away closes the console at the next click, on every node).
/// </summary>
internal sealed record ConsoleCaller(string UserId, string UserName, IReadOnlySet<string> Permissions)
{
    private static readonly object ItemKey = new();

    /// <summary>The same rule as the admin API's policies: tessera:admin:&lt;area&gt;, tessera:admin:read for reading, tessera:admin.</summary>
    public bool CanRead(string area) => new AdminPermissionRequirement(area, write: false).IsMetBy(Permissions);

    public bool CanChange(string area) => new AdminPermissionRequirement(area, write: true).IsMetBy(Permissions);

    public static ConsoleCaller Of(HttpContext context) =>
        context.Items[ItemKey] as ConsoleCaller ?? throw new InvalidOperationException("the console's access filter did not run for this request");

    public void Remember(HttpContext context) => context.Items[ItemKey] = this;
}
