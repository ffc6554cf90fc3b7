namespace Tessera.AspNetCore;

/// <summary>RFC 6750 §3: the WWW-Authenticate value of the Bearer scheme.</summary>
public static class BearerChallenge
{
    public static string Format(string? error, string? description, string? scope) => Format(error, description, scope, acrValues: null);

    /// <summary>With RFC 9470 §3's acr_values, for insufficient_user_authentication.</summary>
    public static string Format(string? error, string? description, string? scope, string? acrValues) =>
        Format(error, description, scope, acrValues, resourceMetadata: null);

    /// <summary>With RFC 9728 §5.1's resource_metadata: where a client finds the authorization server for this API.</summary>
    public static string Format(string? error, string? description, string? scope, string? acrValues, string? resourceMetadata) =>
        ChallengeValue.Format("Bearer", ("error", error), ("error_description", description), ("scope", scope), ("acr_values", acrValues),
            ("resource_metadata", resourceMetadata));
}
