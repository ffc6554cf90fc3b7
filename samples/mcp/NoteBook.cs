using System.Collections.Concurrent;

namespace Tessera.Samples.Mcp;

/// <summary>Each user's notes, in memory: the sample's storage, keyed by the token's subject.</summary>
public sealed class NoteBook
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _notes = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Of(string subject) => _notes.TryGetValue(subject, out var notes) ? [.. notes] : [];

    public void Add(string subject, string text) => _notes.GetOrAdd(subject, _ => new()).Enqueue(text);
}
