using Tessera.Server.Catalog;

namespace Tessera.Server.Tokens.AccessTokens;

/// <summary>The APIs one access token is for, and the scopes it carries.</summary>
public sealed record TokenTarget(IReadOnlyList<RegisteredApi> Apis, IReadOnlyList<string> Scopes)
{
    public RegisteredApi Primary => Apis[0];
    public string Format => Primary.AccessTokenFormat;
    public string Algorithm => Primary.SigningAlgorithm;
    public TimeSpan Lifetime => Apis.Min(a => a.AccessTokenLifetime);
}
