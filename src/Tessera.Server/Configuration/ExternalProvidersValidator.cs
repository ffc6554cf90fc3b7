using System.Text.RegularExpressions;

namespace Tessera.Server.Configuration;

/// <summary>Problems in <c>Tessera:ExternalProviders</c>, collected with the rest of the configuration's.</summary>
internal static partial class ExternalProvidersValidator
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex NamePattern();

    public static void Validate(IDictionary<string, ExternalProviderOptions> providers, List<string> errors)
    {
        foreach (var (name, provider) in providers)
        {
            var at = $"Tessera:ExternalProviders:{name}";
            // The name is part of the callback path and of the token API's URL.
            if (!NamePattern().IsMatch(name))
                errors.Add($"{at}: the provider name must be lower-case letters, digits and '-' (at most 40), starting with a letter or digit.");
            if (!ExternalProviderTypes.All.Contains(provider.Type))
                errors.Add($"{at}:Type must be one of {string.Join(", ", ExternalProviderTypes.All)}, not '{provider.Type}'.");
            if (string.IsNullOrWhiteSpace(provider.ClientId)) errors.Add($"{at}:ClientId is required.");
            if (string.IsNullOrWhiteSpace(provider.ClientSecret)) errors.Add($"{at}:ClientSecret is required (set it through the environment, not a file in source control).");
            if (provider.Type == ExternalProviderTypes.Oidc && string.IsNullOrWhiteSpace(provider.Authority))
                errors.Add($"{at}:Authority is required for an 'oidc' provider.");
            // A tenant list with a fixed authority (or another provider) would be silently ignored.
            if (provider.AllowedTenants.Count > 0 && !(provider.Type == ExternalProviderTypes.Microsoft && provider.Authority is null))
                errors.Add($"{at}:AllowedTenants applies only to a 'microsoft' provider on the common endpoint (no Authority).");
            if (provider.AllowedTenants.Any(t => !Guid.TryParse(t, out _)))
                errors.Add($"{at}:AllowedTenants must be tenant ids (GUIDs, the tid claim).");
            foreach (var (label, url) in Urls(provider))
            {
                if (url is null) continue;
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Fragment))
                    errors.Add($"{at}:{label} '{url}' is not an absolute URL without a fragment.");
                else if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
                    errors.Add($"{at}:{label} must be https (plain http only on a loopback host): codes and secrets travel to it.");
            }
        }
    }

    private static IEnumerable<(string, string?)> Urls(ExternalProviderOptions provider) =>
    [
        ("Authority", provider.Authority), ("AuthorizationEndpoint", provider.AuthorizationEndpoint),
        ("TokenEndpoint", provider.TokenEndpoint), ("UserInformationEndpoint", provider.UserInformationEndpoint),
        ("RefreshEndpoint", provider.RefreshEndpoint),
    ];
}
