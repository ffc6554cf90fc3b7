using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Rules;

/// <summary>The <c>scope</c> parameter (RFC 6749 §3.3).</summary>
public static class Scopes
{
    /// <summary>OpenID Connect scopes: they describe a user, so they belong to no API.</summary>
    public static readonly IReadOnlySet<string> Identity = new HashSet<string>(StringComparer.Ordinal) { "openid", "profile", "email", "address", "phone", "offline_access" };

    /// <summary>RFC 6749 §3.3: space-delimited tokens of %x21 / %x23-5B / %x5D-7E.</summary>
    public static Outcome<string[]> Parse(string? scope)
    {
        var values = SpaceDelimited.Split(scope);
        foreach (var value in values)
        {
            foreach (var c in value)
            {
                if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E)
                    return OAuthError.InvalidScope("scope contains a character RFC 6749 §3.3 does not allow");
            }
        }
        return values.Distinct(StringComparer.Ordinal).ToArray();
    }

    public static bool IsValidName(string scope) => scope.Length > 0 && scope.All(c => c >= 0x21 && c != 0x22 && c != 0x5C && c <= 0x7E);
}
