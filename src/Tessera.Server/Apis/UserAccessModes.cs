namespace Tessera.Server.Apis;

/// <summary>An API's <c>userAccess</c>: who may hold its scopes in a token issued for a user.</summary>
public static class UserAccessModes
{
    /// <summary>Any user who consents (the default, and Tessera's behaviour before roles existed).</summary>
    public const string Consent = "consent";

    /// <summary>Only users who hold the scope through one of their roles; the client and the consent narrow further.</summary>
    public const string Rbac = "rbac";

    public static bool IsKnown(string value) => value is Consent or Rbac;
}
