using System.ComponentModel;

namespace Tessera.Gateway.Authentication;

/// <summary>What a redeemed refresh token gave (RFC 6749 §5.1), kept a minute for requests still holding the old ticket.</summary>
/// <remarks>Immutable for HybridCache: the memory cache hands out this instance, not a copy made per request.</remarks>
[ImmutableObject(true)]
internal sealed record RefreshedTokens(string AccessToken, string? RefreshToken, int ExpiresIn);
