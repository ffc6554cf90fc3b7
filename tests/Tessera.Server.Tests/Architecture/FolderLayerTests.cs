using NetArchTest.Rules;
using Xunit.Abstractions;

namespace Tessera.Server.Tests.Architecture;

/// <summary>
/// The top-level folders (namespaces) of Tessera.Server are layers: a folder may use only folders of lower layers, never
/// one of its own layer or above. Read from the compiled assembly, so a wrong arrow fails here whatever the using
/// directives say. docs/architecture.md draws exactly these layers. Razor views compile to another namespace and
/// constants are inlined by the compiler, so neither is counted.
/// </summary>
public sealed class FolderLayerTests(ITestOutputHelper output)
{
    private const string Root = "Tessera.Server.";

    /// <summary>Bottom first. Folders on one line are siblings: neither may use the other.</summary>
    public static readonly string[][] Layers =
    [
        ["Vocabulary", "Hosting"],
        ["Configuration"],
        ["Storage", "Responses"],
        ["Keys", "Clients"],
        ["Apis"],
        ["Catalog", "Throttling"],
        ["Users"],
        ["Sessions"],
        ["Tokens"],
        ["Protocol"],
        ["PersonalAccessTokens", "ExternalIdentities", "Import", "Housekeeping"],
        ["Pages", "Admin"],
    ];

    [Fact]
    public void Every_folder_of_the_server_is_in_exactly_one_layer()
    {
        var listed = Layers.SelectMany(l => l).ToList();
        var folders = Folders();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.True(folders.SetEquals(listed), $"folders not in a layer: {string.Join(", ", folders.Except(listed))}; " +
            $"layers naming no folder: {string.Join(", ", listed.Except(folders))}");
    }

    [Fact]
    public void No_folder_uses_a_folder_of_its_own_layer_or_above()
    {
        var arrows = Measure();
        output.WriteLine(string.Join(Environment.NewLine, arrows.Order(StringComparer.Ordinal)));
        var level = Layers.SelectMany((layer, i) => layer.Select(folder => (folder, i))).ToDictionary(p => p.folder, p => p.i);

        var wrong = arrows.Select(a => a.Split(" → ")).Where(a => level[a[1]] >= level[a[0]]).Select(a => $"{a[0]} → {a[1]}")
            .Order(StringComparer.Ordinal).ToList();

        Assert.True(wrong.Count == 0, $"arrows that do not point down: {string.Join(", ", wrong)} (docs/architecture.md)");
    }

    [Fact]
    public void No_cycle_joins_the_folders_of_the_server()
    {
        var next = Measure().Select(a => a.Split(" → ")).ToLookup(a => a[0], a => a[1]);

        var cycle = Folders().Select(start => FindPath(next, start, start)).FirstOrDefault(path => path is not null);

        Assert.True(cycle is null, $"cycle: {string.Join(" → ", cycle ?? [])}");
    }

    private static List<string>? FindPath(ILookup<string, string> next, string from, string to, HashSet<string>? seen = null)
    {
        seen ??= [];
        foreach (var step in next[from])
        {
            if (step == to) return [from, to];
            if (!seen.Add(step)) continue;
            if (FindPath(next, step, to, seen) is { } rest) return [from, .. rest];
        }
        return null;
    }

    private static HashSet<string> Folders() =>
        typeof(TesseraApp).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Root, StringComparison.Ordinal))
            .Select(n => n[Root.Length..].Split('.')[0]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every "from → to" where a type of the first folder uses a type of the second.</summary>
    public static HashSet<string> Measure()
    {
        var folders = Folders();
        var arrows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var from in folders)
            foreach (var to in folders.Where(f => f != from))
            {
                // The trailing dot keeps "Tokens" from matching a folder that merely starts with the same word.
                var result = Types.InAssembly(typeof(TesseraApp).Assembly).That().ResideInNamespace(Root + from)
                    .ShouldNot().HaveDependencyOnAny(Root + to + ".", Root + to).GetResult();
                if (!result.IsSuccessful) arrows.Add($"{from} → {to}");
            }
        return arrows;
    }
}
