using Tessera.Server.Storage.Users;
namespace Tessera.Server.Users;

/// <summary>OIDC Core §5.4: the user's claims each scope releases, for the ID token and UserInfo.</summary>
public static class UserClaims
{
    public static IEnumerable<(string Name, object Value)> For(TesseraUser user, IReadOnlyCollection<string> scopes)
    {
        if (scopes.Contains("profile"))
        {
            if (user.Name is not null) yield return ("name", user.Name);
            if (user.UserName is not null) yield return ("preferred_username", user.UserName);
        }
        if (scopes.Contains("email") && user.Email is not null)
        {
            yield return ("email", user.Email);
            yield return ("email_verified", user.EmailConfirmed);
        }
    }
}
