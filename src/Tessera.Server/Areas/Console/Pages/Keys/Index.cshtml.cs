using Microsoft.AspNetCore.Mvc;
using Tessera.Server.Admin;
using Tessera.Server.Audit;
using Tessera.Server.Catalog;
using Tessera.Server.Responses;

namespace Tessera.Server.Areas.Console.Pages.Keys;

/// <summary>
/// The signing keys (current, next, retired) and a rotation: a new key of the algorithm signs from now on, the old one
/// stays published until tokens it signed have expired. Rotating is confirmed first.
/// </summary>
[ConsoleArea("keys")]
internal sealed class IndexModel(SnapshotCache snapshots, KeyManager keys, TimeProvider clock) : ConsolePageModel
{
    public IReadOnlyList<AdminRoutes.SigningKeyView> Keys { get; private set; } = [];
    public IReadOnlyList<string> Algorithms { get; private set; } = [];

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostRotateAsync(string? algorithm, bool confirmed)
    {
        Load();
        algorithm ??= "";
        // What waits for the confirmation is the algorithm whose key would rotate.
        if (!confirmed && Algorithms.Contains(algorithm, StringComparer.Ordinal)) return Confirm(algorithm);
        var answer = await ChangeAsync(AuditEventTypes.KeyRotated, AuditJoin.HandlerWritesIt, AuditTarget.Key(algorithm),
            async () => (await AdminRoutes.RotateSigningKeyAsync(algorithm, keys, snapshots, HttpContext.RequestAborted)).Result);
        if (answer is JsonOk<AdminRoutes.RotatedKey> rotated) Notice = Text["Key {0} ({1}) signs from now on.", rotated.Value.Kid, rotated.Value.Alg];
        Load();
        return Page();
    }

    private void Load()
    {
        Keys = AdminRoutes.ListKeys(snapshots, clock).Value.Keys;
        Algorithms = [.. KeyManager.AlgorithmsInUse(snapshots.Current.Catalog).Order(StringComparer.Ordinal)];
    }
}
