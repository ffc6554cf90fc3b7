using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Tessera.Server.Tests.Pages;

/// <summary>
/// Issue 20: every text the pages show is translated — each key the views (<c>L["…"]</c>) and page models
/// (<c>text["…"]</c>) use is in every language's resource, keeps its placeholders and markup, and no translation is
/// left over from a text that is gone.
/// </summary>
public sealed partial class PageTranslationTests
{
    private static readonly string ServerSource = Path.Combine(RepositoryRoot(), "src", "Tessera.Server");

    private static string[] LanguageNames() =>
        [.. Directory.GetFiles(Path.Combine(ServerSource, "Resources", "Pages"), "PageText.*.resx").Select(f => Path.GetFileName(f)["PageText.".Length..^".resx".Length])];

    public static TheoryData<string> Languages() => [.. LanguageNames()];

    [Fact]
    public void Simplified_Chinese_has_a_resource()
    {
        Assert.Contains("zh-CN", LanguageNames());
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_text_of_the_pages_is_translated(string language)
    {
        var translations = Translations(language);
        var missing = UsedKeys().Where(key => !translations.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, $"not in PageText.{language}.resx:\n" + string.Join("\n", missing));
    }

    /// <summary>A resource set finds a name regardless of case when the exact one is missing, so "users" could show "Users"'s text.</summary>
    [Fact]
    public void No_two_texts_differ_only_in_case()
    {
        var clashes = UsedKeys().Distinct(StringComparer.Ordinal).GroupBy(key => key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashes.Count == 0, "texts that differ only in case:\n" + string.Join("\n", clashes));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void No_translation_is_left_over(string language)
    {
        var used = UsedKeys().ToHashSet(StringComparer.Ordinal);
        var unused = Translations(language).Keys.Where(key => !used.Contains(key)).ToList();
        Assert.True(unused.Count == 0, $"in PageText.{language}.resx but used nowhere:\n" + string.Join("\n", unused));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Each_translation_keeps_its_placeholders_and_markup_and_says_something(string language)
    {
        foreach (var (key, value) in Translations(language))
        {
            Assert.False(string.IsNullOrWhiteSpace(value), key);
            Assert.Equal(Sorted(Placeholder().Matches(key)), Sorted(Placeholder().Matches(value)));
            Assert.Equal(Sorted(Tag().Matches(key)), Sorted(Tag().Matches(value)));
        }
    }

    private static List<string> Sorted(MatchCollection matches) => [.. matches.Select(m => m.Value).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> UsedKeys()
    {
        // The pages and the console (a Razor Pages area), which share one resource.
        var folders = new[] { Path.Combine(ServerSource, "Pages"), Path.Combine(ServerSource, "Areas") };
        var sources = folders.SelectMany(folder => Directory.GetFiles(folder, "*.cshtml", SearchOption.AllDirectories).Select(f => (f, View: true))
            .Concat(Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories).Select(f => (f, View: false))));
        foreach (var (file, view) in sources)
            foreach (Match match in (view ? ViewKey() : ModelKey()).Matches(File.ReadAllText(file)))
                yield return Regex.Unescape(match.Groups[1].Value);
    }

    private static Dictionary<string, string> Translations(string language) =>
        XDocument.Load(Path.Combine(ServerSource, "Resources", "Pages", $"PageText.{language}.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx"))) return directory.FullName;
        throw new InvalidOperationException("Tessera.slnx not found above the test assembly");
    }

    [GeneratedRegex("""\bL\["((?:[^"\\]|\\.)*)"[\],]""")]
    private static partial Regex ViewKey();

    // text[…] in the pages' models, Text[…] in the console's (ConsolePageModel.Text).
    [GeneratedRegex("""\b[Tt]ext\["((?:[^"\\]|\\.)*)"[\],]""")]
    private static partial Regex ModelKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"</?[a-z]+")]
    private static partial Regex Tag();
}
