namespace Tessera.Server.Vocabulary;

/// <summary>
/// The two authentication context classes Tessera asserts (OIDC Core §2 <c>acr</c>, advertised in discovery's
/// <c>acr_values_supported</c>), derived from the sign-in's RFC 8176 <c>amr</c> values: a second factor (<c>mfa</c>) or not.
/// </summary>
public static class AuthenticationContextClasses
{
    public const string Password = "urn:tessera:acr:pwd";
    public const string MultiFactor = "urn:tessera:acr:mfa";

    /// <summary>RFC 8176 §2: the user gave more than one factor.</summary>
    public const string MultiFactorMethod = "mfa";

    public static readonly IReadOnlyList<string> Supported = [Password, MultiFactor];

    /// <summary>
    /// Whether acr_values (OIDC Core §3.1.2.1, in order of preference) demand a second factor: they name
    /// <see cref="MultiFactor"/> and not <see cref="Password"/>. Unknown values alone demand nothing.
    /// </summary>
    public static bool DemandSecondFactor(string? acrValues)
    {
        var values = SpaceDelimited.Split(acrValues);
        return values.Contains(MultiFactor) && !values.Contains(Password);
    }

    /// <summary>The acr of a sign-in with these (space-delimited) amr values.</summary>
    public static string Of(string amr) => SpaceDelimited.Split(amr).Contains(MultiFactorMethod) ? MultiFactor : Password;
}
