namespace Tessera.Protocol;

/// <summary>The <c>typ</c> header values Tessera writes and checks.</summary>
public static class JwtTypes
{
    /// <summary>RFC 9068 §2.1: a JWT access token says so, so it cannot be mistaken for an ID token (whose typ is JWT).</summary>
    public const string AccessToken = "at+jwt";

    /// <summary>RFC 9449 §4.2: a DPoP proof, which no other JWT of the client's can stand in for.</summary>
    public const string DpopProof = "dpop+jwt";
}
