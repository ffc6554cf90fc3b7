namespace Tessera.Server.Configuration;

/// <summary>One external identity provider, configured under <c>Tessera:ExternalProviders:&lt;name&gt;</c>.</summary>
public sealed class ExternalProviderOptions
{
    /// <summary>One of <see cref="ExternalProviderTypes"/>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The button text on the sign-in page; the provider's name when unset.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The client id (WeChat: appid) registered at the provider.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret (WeChat: secret). From configuration or the environment only; never logged.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Scopes to ask for; each type has sensible defaults when this is empty.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The issuer for <c>oidc</c> (discovery at /.well-known/openid-configuration); Microsoft: the tenant's v2.0 authority.</summary>
    public string? Authority { get; set; }

    /// <summary>Microsoft (common endpoint): the tenant ids (tid) whose accounts may sign in; empty: any tenant.</summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// A first sign-in may join an existing local account with the same e-mail, but only when the provider also says the
    /// e-mail is verified. Off by default: whoever controls the provider's account would take over the local one.
    /// </summary>
    public bool LinkByVerifiedEmail { get; set; }

    /// <summary>Whether a first sign-in that matches no account creates one (just-in-time). On by default.</summary>
    public bool CreateUsers { get; set; } = true;

    /// <summary>Overrides of the type's endpoints (GitHub, WeChat; OIDC reads discovery). For a stand-in in tests or an enterprise install.</summary>
    public string? AuthorizationEndpoint { get; set; }
    public string? TokenEndpoint { get; set; }
    public string? UserInformationEndpoint { get; set; }
    public string? RefreshEndpoint { get; set; }
}

public static class ExternalProviderTypes
{
    public const string Oidc = "oidc";
    public const string GitHub = "github";
    public const string Google = "google";
    public const string Microsoft = "microsoft";
    public const string WeChat = "wechat";

    public static readonly string[] All = [Oidc, GitHub, Google, Microsoft, WeChat];

    /// <summary>The OpenID Connect issuers the named types default to.</summary>
    public const string GoogleAuthority = "https://accounts.google.com";
    public const string MicrosoftAuthority = "https://login.microsoftonline.com/common/v2.0";
}
