namespace Tessera.AspNetCore.Validation;

/// <summary>JWT or not: a JWS compact serialization has exactly three dot-separated parts; anything else is opaque.</summary>
internal static class TokenShape
{
    public static bool IsJwt(string token)
    {
        var first = token.IndexOf('.');
        if (first <= 0) return false;
        var second = token.IndexOf('.', first + 1);
        return second > first + 1 && token.IndexOf('.', second + 1) < 0;
    }
}
