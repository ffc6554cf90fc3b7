using Tessera.Server.Catalog;
using Tessera.Server.Protocol.Endpoints;

namespace Tessera.Server.Protocol.Rules;

/// <summary>
/// RFC 8252 §8.6: a public client's identity cannot be verified, and any app on the device can listen on a loopback
/// port or claim a custom scheme. Such a request is never answered silently from an earlier consent: the user sees the
/// consent page for this very request, and <c>prompt=none</c> answers <c>consent_required</c>.
/// </summary>
public static class NativeClientInteraction
{
    /// <summary>
    /// A public client asking for Tessera's PAT scope (a key to mint long-lived tokens), or redirecting anywhere but an
    /// https URI (a loopback or custom-scheme redirect, RFC 8252 §7.1 / §7.3).
    /// </summary>
    public static bool IsRequired(AuthorizationRequest request) =>
        request.Client.IsPublic
        && (request.Scopes.Contains(BuiltInApi.PatsScope) || !request.RedirectUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
