namespace Tessera.AspNetCore;

/// <summary>RFC 9449 §7.1: the WWW-Authenticate value of the DPoP scheme (the Bearer scheme's parameters, and algs).</summary>
public static class DpopChallenge
{
    public static string Format(string? error, string? description, IEnumerable<string> algorithms, string? resourceMetadata = null) =>
        Format(error, description, scope: null, algorithms, resourceMetadata);

    /// <summary>With the scope a refused request needed (RFC 6750 §3.1's insufficient_scope, which §7.1 carries over).</summary>
    public static string Format(string? error, string? description, string? scope, IEnumerable<string> algorithms, string? resourceMetadata) =>
        // §7.1: algs, the proof algorithms this resource accepts, space-delimited.
        ChallengeValue.Format("DPoP", ("error", error), ("error_description", description), ("scope", scope), ("algs", string.Join(' ', algorithms)),
            ("resource_metadata", resourceMetadata));
}
