using System.Collections.Frozen;

namespace Tessera.Server.Vocabulary;

/// <summary>Space-delimited lists, the way OAuth writes scopes (RFC 6749 §3.3).</summary>
public static class SpaceDelimited
{
    public static string[] Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static FrozenSet<string> ToSet(string? value) => Split(value).ToFrozenSet(StringComparer.Ordinal);

    public static string Join(IEnumerable<string> values) => string.Join(' ', values);
}
