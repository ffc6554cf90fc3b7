namespace Tessera.Server.Pages;

/// <summary>What each scope lets the application do, in words a user reads on the consent page.</summary>
public static class ScopeDescriptions
{
    public static string Describe(string scope) => scope switch
    {
        "openid" => "Know who you are (your user identifier)",
        "profile" => "See your name and username",
        "email" => "See your e-mail address",
        "offline_access" => "Stay connected when you are not using it",
        _ => $"Use the API permission \"{scope}\" on your behalf",
    };
}
