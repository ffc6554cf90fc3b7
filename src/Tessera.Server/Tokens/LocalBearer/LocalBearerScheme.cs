using Microsoft.AspNetCore.Authentication;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>The local bearer scheme, by name: only the built-in APIs' policies name it, so it is never the default.</summary>
internal static class LocalBearerScheme
{
    public const string Name = "TesseraLocal";

    public static AuthenticationBuilder AddLocalBearer(this AuthenticationBuilder authentication) =>
        authentication.AddScheme<AuthenticationSchemeOptions, LocalBearerHandler>(Name, displayName: null, configureOptions: null);
}
