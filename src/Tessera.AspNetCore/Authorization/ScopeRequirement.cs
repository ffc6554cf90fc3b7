using Microsoft.AspNetCore.Authorization;

namespace Tessera.AspNetCore.Authorization;

/// <summary>The caller's token must carry every one of these scopes.</summary>
public sealed class ScopeRequirement(IReadOnlyList<string> scopes) : IAuthorizationRequirement
{
    public IReadOnlyList<string> Scopes { get; } = scopes.Count > 0 ? scopes : throw new ArgumentException("name at least one scope", nameof(scopes));

    /// <summary>RFC 6750 §3: the value of the challenge's scope attribute.</summary>
    public string ScopeParameter => string.Join(' ', Scopes);

    public override string ToString() => $"Scopes required: {ScopeParameter}";
}
