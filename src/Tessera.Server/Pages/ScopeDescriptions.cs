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
        "tessera:pats" => "Create, list and revoke your personal access tokens",
        "tessera:admin" => "Administer this Tessera server",
        "tessera:admin:read" => "See this Tessera server's settings, clients, APIs, roles and users",
        _ when scope.StartsWith("tessera:admin:", StringComparison.Ordinal) => $"Administer this Tessera server's {scope["tessera:admin:".Length..]}",
        _ => $"Use the API permission \"{scope}\" on your behalf",
    };
}
