using Xunit.Abstractions;

namespace Tessera.Server.Tests.Architecture;

/// <summary>
/// The top-level folders of Tessera.Server are layers: a folder may use only folders of lower layers, never one of its
/// own layer or above. docs/architecture.md draws exactly these layers.
/// </summary>
public sealed class FolderLayerTests(ITestOutputHelper output)
{
    public static readonly NamespaceLayers Server = new("Tessera.Server.",
    [
        ["Vocabulary", "Hosting"],
        ["Configuration"],
        ["Storage", "Responses", "Mail", "Telemetry"],
        ["Audit"],
        ["Keys", "Clients"],
        ["Apis"],
        ["Catalog", "Throttling"],
        ["Users"],
        ["Sessions"],
        ["Tokens"],
        ["Protocol"],
        ["Roles"],
        ["PersonalAccessTokens", "ExternalIdentities", "Import", "Housekeeping", "BackChannelLogout", "Health"],
        ["Pages", "Admin", "Registration"],
        ["Areas"],
    ]);

    [Fact]
    public void Every_folder_of_the_server_is_in_exactly_one_layer() => Assert.Equal("", Server.Unplaced());

    [Fact]
    public void No_folder_uses_a_folder_of_its_own_layer_or_above()
    {
        var arrows = Server.Arrows();
        output.WriteLine(string.Join(Environment.NewLine, arrows.Order(StringComparer.Ordinal)));

        var wrong = Server.ArrowsNotPointingDown(arrows);

        Assert.True(wrong.Count == 0, $"arrows that do not point down: {string.Join(", ", wrong)} (docs/architecture.md)");
    }

    [Fact]
    public void No_cycle_joins_the_folders_of_the_server()
    {
        var cycle = Server.Cycle(Server.Arrows());

        Assert.True(cycle is null, $"cycle: {string.Join(" → ", cycle ?? [])}");
    }
}
