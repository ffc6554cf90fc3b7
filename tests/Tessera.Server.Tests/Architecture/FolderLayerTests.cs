using NetArchTest.Rules;
using Xunit.Abstractions;

namespace Tessera.Server.Tests.Architecture;

/// <summary>
/// The arrows between the top-level folders (namespaces) of Tessera.Server, read from the compiled assembly. Issue 15
/// removes the cycles step by step; until then this is a ratchet: <see cref="Arrows"/> is the set that exists today,
/// an arrow that is not in it fails, and an arrow that went away must be taken out of it (so the set only shrinks).
/// Measured 2026-12-06: 110 arrows, 103 once SpaceDelimited and SecretGenerator moved to Vocabulary (the bottom layer,
/// whose incoming arrows are not listed), 99 once the built-in APIs' bearer check became the local scheme in Tokens;
/// 14 of the other 18 folders still form one cycle (Apis, Catalog, Clients, Configuration,
/// ExternalIdentities, Keys, Pages, PersonalAccessTokens, Protocol, Sessions, Storage, Throttling, Tokens, Users);
/// Admin, Import, Housekeeping and Hosting are outside it. Razor views compile to another namespace and are not counted.
/// </summary>
public sealed class FolderLayerTests(ITestOutputHelper output)
{
    private const string Root = "Tessera.Server.";

    /// <summary>Today's arrows "from → to" (a type of the first folder uses a type of the second).</summary>
    private static readonly HashSet<string> Arrows = new(StringComparer.Ordinal)
    {
        "Admin → Apis", "Admin → Catalog", "Admin → Clients", "Admin → Configuration", "Admin → Import",
        "Admin → Keys", "Admin → Protocol", "Admin → Storage", "Admin → Tokens", "Admin → Users", "Apis → Keys",
        "Catalog → Apis", "Catalog → Clients", "Catalog → Configuration", "Catalog → Hosting", "Catalog → Keys",
        "Catalog → Storage", "Clients → Storage",
        "Configuration → ExternalIdentities", "Configuration → PersonalAccessTokens", "Configuration → Storage",
        "ExternalIdentities → Configuration", "ExternalIdentities → Pages",
        "ExternalIdentities → Protocol", "ExternalIdentities → Storage", "ExternalIdentities → Tokens",
        "ExternalIdentities → Users", "Housekeeping → Clients", "Housekeeping → Configuration",
        "Housekeeping → Hosting", "Housekeeping → PersonalAccessTokens", "Housekeeping → Sessions",
        "Housekeeping → Storage", "Housekeeping → Throttling", "Housekeeping → Tokens", "Import → Apis",
        "Import → Clients", "Import → Keys", "Import → Protocol", "Import → Storage", "Import → Users",
        "Keys → Catalog", "Keys → Configuration", "Keys → Hosting", "Keys → Storage", "Pages → Catalog",
        "Pages → Configuration", "Pages → ExternalIdentities", "Pages → PersonalAccessTokens", "Pages → Protocol",
        "Pages → Sessions", "Pages → Storage", "Pages → Throttling", "Pages → Tokens", "Pages → Users",
        "PersonalAccessTokens → Catalog", "PersonalAccessTokens → Configuration", "PersonalAccessTokens → Hosting",
        "PersonalAccessTokens → Protocol", "PersonalAccessTokens → Storage", "PersonalAccessTokens → Tokens",
        "Protocol → Catalog", "Protocol → Clients", "Protocol → Configuration",
        "Protocol → Keys", "Protocol → Pages", "Protocol → Storage", "Protocol → Throttling", "Protocol → Tokens",
        "Protocol → Users", "Sessions → Hosting", "Sessions → Storage", "Sessions → Users", "Storage → Apis",
        "Storage → Clients", "Storage → Configuration", "Storage → Keys", "Storage → PersonalAccessTokens",
        "Storage → Sessions", "Storage → Throttling", "Storage → Tokens", "Storage → Users",
        "Throttling → Configuration", "Throttling → Pages", "Throttling → Protocol", "Throttling → Storage",
        "Tokens → Catalog", "Tokens → Configuration", "Tokens → Hosting", "Tokens → Keys",
        "Tokens → PersonalAccessTokens", "Tokens → Protocol", "Tokens → Sessions", "Tokens → Storage",
        "Tokens → Users", "Users → PersonalAccessTokens", "Users → Sessions", "Users → Storage", "Users → Tokens",
    };

    /// <summary>The bottom layer: every folder may use it, it uses no other folder.</summary>
    private static readonly string[] Bottom = ["Vocabulary"];

    [Fact]
    public void The_bottom_layer_depends_on_no_other_folder()
    {
        var upward = Measure().Where(a => Bottom.Contains(a.Split(" → ")[0])).ToList();

        Assert.True(upward.Count == 0, $"the bottom layer depends on: {string.Join(", ", upward)}");
    }

    [Fact]
    public void No_folder_of_the_server_depends_on_a_folder_it_did_not_depend_on_before()
    {
        var actual = Measure().Where(a => !Bottom.Contains(a.Split(" → ")[1])).ToHashSet(StringComparer.Ordinal);
        output.WriteLine(string.Join(Environment.NewLine, actual.Order(StringComparer.Ordinal).Select(a => $"\"{a}\",")));

        var added = actual.Except(Arrows).Order(StringComparer.Ordinal).ToList();
        var removed = Arrows.Except(actual).Order(StringComparer.Ordinal).ToList();

        Assert.True(added.Count == 0, $"new arrows between folders: {string.Join(", ", added)} (docs/architecture.md says which way arrows go)");
        Assert.True(removed.Count == 0, $"arrows that are gone, take them out of the list so they cannot come back: {string.Join(", ", removed)}");
    }

    private static HashSet<string> Measure()
    {
        var assembly = typeof(TesseraApp).Assembly;
        var folders = assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Root, StringComparison.Ordinal))
            .Select(n => n[Root.Length..].Split('.')[0]).Distinct().ToList();
        var arrows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var from in folders)
            foreach (var to in folders.Where(f => f != from))
            {
                var result = Types.InAssembly(assembly).That().ResideInNamespace(Root + from)
                    .ShouldNot().HaveDependencyOn(Root + to).GetResult();
                if (!result.IsSuccessful) arrows.Add($"{from} → {to}");
            }
        return arrows;
    }
}
