using NetArchTest.Rules;

namespace Tessera.Server.Tests.Architecture;

/// <summary>
/// The folders (namespaces) directly under one namespace of Tessera.Server, and the arrows between them: read from the
/// compiled assembly, so a wrong arrow counts whatever the using directives say. Razor views compile to another
/// namespace and constants are inlined by the compiler, so neither is counted.
/// </summary>
public sealed class NamespaceLayers(string root, string[][] layers)
{
    /// <summary>Bottom first. Folders in one inner array are siblings: neither may use the other.</summary>
    public string[][] Layers { get; } = layers;

    public HashSet<string> Folders() =>
        typeof(TesseraApp).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(root, StringComparison.Ordinal))
            .Select(n => n[root.Length..].Split('.')[0]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every "from → to" where a type of the first folder uses a type of the second.</summary>
    public HashSet<string> Arrows()
    {
        var folders = Folders();
        var arrows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var from in folders)
            foreach (var to in folders.Where(f => f != from))
            {
                // The trailing dot keeps "Tokens" from matching a folder that merely starts with the same word.
                var result = Types.InAssembly(typeof(TesseraApp).Assembly).That().ResideInNamespace(root + from)
                    .ShouldNot().HaveDependencyOnAny(root + to + ".", root + to).GetResult();
                if (!result.IsSuccessful) arrows.Add($"{from} → {to}");
            }
        return arrows;
    }

    /// <summary>Folders that are in no layer, and layers' names that are no folder.</summary>
    public string Unplaced()
    {
        var listed = Layers.SelectMany(l => l).ToList();
        var folders = Folders();
        var problems = new List<string>();
        if (listed.Count != listed.Distinct().Count()) problems.Add("a folder is named in two layers");
        if (folders.Except(listed).Any()) problems.Add($"folders not in a layer: {string.Join(", ", folders.Except(listed))}");
        if (listed.Except(folders).Any()) problems.Add($"layers naming no folder: {string.Join(", ", listed.Except(folders))}");
        return string.Join("; ", problems);
    }

    /// <summary>The arrows from a folder to one of its own layer or above.</summary>
    public List<string> ArrowsNotPointingDown(IEnumerable<string> arrows)
    {
        var level = Layers.SelectMany((layer, i) => layer.Select(folder => (folder, i))).ToDictionary(p => p.folder, p => p.i);
        return arrows.Select(a => a.Split(" → ")).Where(a => level[a[1]] >= level[a[0]]).Select(a => $"{a[0]} → {a[1]}")
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>One cycle among the folders, or null.</summary>
    public List<string>? Cycle(IEnumerable<string> arrows)
    {
        var next = arrows.Select(a => a.Split(" → ")).ToLookup(a => a[0], a => a[1]);
        return Folders().Order(StringComparer.Ordinal).Select(start => FindPath(next, start, start)).FirstOrDefault(path => path is not null);
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
}
