namespace Tessera.Server.Import;

/// <summary>
/// OIDC Back-Channel Logout 1.0 §2.2: the logout URI is absolute, without a fragment; it SHOULD be https and MAY be http
/// only for a confidential client. A query is allowed (§2.2: "MAY include … query component").
/// </summary>
internal static class BackChannelLogoutUriRule
{
    public static void Validate(ImportedClient client, string at, List<string> problems)
    {
        if (client.BackchannelLogoutUri is not { } uri)
        {
            if (client.BackchannelLogoutSessionRequired == true)
                problems.Add($"{at}.backchannelLogoutSessionRequired needs a backchannelLogoutUri");
            return;
        }
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
            problems.Add($"{at}.backchannelLogoutUri '{uri}' must be an absolute https URL");
        else if (parsed.Fragment.Length > 0 || uri.Contains('#', StringComparison.Ordinal))
            problems.Add($"{at}.backchannelLogoutUri '{uri}' must not have a fragment (OIDC Back-Channel Logout §2.2)");
        else if (parsed.Scheme == Uri.UriSchemeHttp && client.Public == true)
            problems.Add($"{at}.backchannelLogoutUri '{uri}' must use https for a public client (OIDC Back-Channel Logout §2.2)");
    }
}
