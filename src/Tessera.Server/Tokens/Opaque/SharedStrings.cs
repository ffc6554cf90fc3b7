using System.Collections.Concurrent;

namespace Tessera.Server.Tokens.Opaque;

/// <summary>
/// One instance of each string many cached rows repeat (a client id, a set of audiences, a scope list), instead of the
/// copy every database read makes. Bounded: once <paramref name="capacity"/> distinct strings are held, new ones are
/// returned as they are, so odd values cannot grow it without end. Entries are never removed (a few KiB at most).
/// </summary>
internal sealed class SharedStrings(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private int _count;

    public string Share(string value)
    {
        if (value.Length == 0) return "";
        if (_strings.TryGetValue(value, out var shared)) return shared;
        if (Volatile.Read(ref _count) >= capacity) return value;
        if (_strings.TryAdd(value, value)) Interlocked.Increment(ref _count);
        return _strings.TryGetValue(value, out shared) ? shared : value;
    }
}
