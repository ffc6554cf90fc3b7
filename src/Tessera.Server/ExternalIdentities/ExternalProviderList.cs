using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.ExternalIdentities.WeChat;

namespace Tessera.Server.ExternalIdentities;

/// <summary>
/// A provider as the pages show it: a button, the origin its sign-in redirects to, and its <see cref="Type"/>, which
/// picks the provider's mark beside the name.
/// </summary>
public sealed record ExternalProviderButton(string Name, string DisplayName, string? FormOrigin, string Type);

/// <summary>The configured providers in configuration order, for the sign-in and account pages.</summary>
public sealed class ExternalProviderList(IOptions<TesseraOptions> options)
{
    public IReadOnlyList<ExternalProviderButton> Buttons { get; } = options.Value.ExternalProviders
        .Select(p => new ExternalProviderButton(p.Key, p.Value.DisplayName ?? p.Key, Origin(p.Value), p.Value.Type)).ToList();

    public ExternalProviderButton? Find(string name) => Buttons.FirstOrDefault(b => b.Name == name);

    /// <summary>
    /// Browsers check a form's CSP form-action along the whole redirect chain, and the button's POST redirects to the
    /// provider: its origin must be listed. OIDC providers' authorization endpoints sit on their authority's origin.
    /// </summary>
    private static string? Origin(ExternalProviderOptions provider)
    {
        var url = provider.AuthorizationEndpoint ?? provider.Type switch
        {
            ExternalProviderTypes.GitHub => "https://github.com/login/oauth/authorize",
            ExternalProviderTypes.WeChat => WeChatOptions.DefaultAuthorizationEndpoint,
            ExternalProviderTypes.Google => provider.Authority ?? ExternalProviderTypes.GoogleAuthority,
            ExternalProviderTypes.Microsoft => provider.Authority ?? ExternalProviderTypes.MicrosoftAuthority,
            _ => provider.Authority,
        };
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }
}
