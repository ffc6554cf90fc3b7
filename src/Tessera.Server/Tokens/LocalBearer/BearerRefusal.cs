using Microsoft.AspNetCore.Authentication;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// Carries a requirement's RFC 6750 refusal from <see cref="RefusalResultHandler"/> to the scheme's challenge or forbid,
/// in the authentication properties (a parameter: never serialized, never sent).
/// </summary>
internal static class BearerRefusal
{
    private const string Key = "tessera.refusal";

    public static AuthenticationProperties Carrying(OAuthError refusal)
    {
        var properties = new AuthenticationProperties();
        properties.SetParameter(Key, refusal);
        return properties;
    }

    public static OAuthError? Of(AuthenticationProperties? properties) => properties?.GetParameter<OAuthError>(Key);
}
