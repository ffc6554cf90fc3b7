namespace Tessera.Server.Configuration;

/// <summary><c>Tessera:Issuer</c> is an issuer identifier: https (plain http on a loopback host only), no query, no fragment.</summary>
internal static class IssuerRule
{
    public static void Validate(string issuer, List<string> errors)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri))
        {
            errors.Add($"Tessera:Issuer '{issuer}' is not an absolute URL.");
            return;
        }
        // RFC 8414 §2: the issuer is an https URL with no query or fragment.
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            errors.Add("Tessera:Issuer must not have a query or a fragment (RFC 8414 §2).");
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            errors.Add($"Tessera:Issuer '{issuer}' uses plain HTTP on a non-loopback host: tokens would travel in clear. Use https://, or http://127.0.0.1 / http://localhost for local development.");
        else if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            errors.Add($"Tessera:Issuer must be an https URL, not '{uri.Scheme}'.");
    }
}
