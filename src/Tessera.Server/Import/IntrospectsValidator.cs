using Tessera.Server.Catalog;

namespace Tessera.Server.Import;

/// <summary>A client's <c>introspects</c>: names of APIs of the same document, for a client that can authenticate.</summary>
internal static class IntrospectsValidator
{
    public static void Validate(ImportDocument document, List<string> problems)
    {
        var apiNames = (document.ApiResources ?? []).Where(a => a?.Name is not null).Select(a => a!.Name!).ToHashSet(StringComparer.Ordinal);
        var clients = document.Clients ?? [];
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            if (client?.Introspects is not { } introspects) continue;
            var at = $"$.clients[{i}].introspects";
            // RFC 7662 §2.1: the introspection endpoint requires client authentication, which a public client cannot do.
            if (client.Public == true && introspects.Count > 0) problems.Add($"{at} is not allowed for a public client");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < introspects.Count; j++)
            {
                var name = introspects[j];
                // Tessera's own API is never introspected by others: its tokens are for Tessera alone.
                if (name is null || name == BuiltInApi.Name || !apiNames.Contains(name))
                    problems.Add($"{at}[{j}] '{name}' is not the name of an API resource");
                else if (!seen.Add(name)) problems.Add($"{at}[{j}] '{name}' appears twice");
            }
        }
    }
}
