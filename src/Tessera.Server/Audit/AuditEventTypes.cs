namespace Tessera.Server.Audit;

/// <summary>
/// Every event type of the audit trail: dotted lower-case names, each also a log category (<c>Tessera.Audit.</c> +
/// type). The README lists them; a new one goes here and there.
/// </summary>
public static class AuditEventTypes
{
    // Sign-in (written through the queue: they come at the rate of the sign-in page).
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    /// <summary>Too many failures for a username or address: refused before the password was checked.</summary>
    public const string UserLocked = "user.locked";

    // Token events an attacker causes (queued).
    public const string RefreshTokenReused = "refresh_token.reused";
    public const string AuthorizationCodeReplayed = "authorization_code.replayed";
    public const string TokenExchanged = "token.exchanged";
    public const string ProviderTokenReleased = "provider_token.released";

    // Changes, written with the change.
    public const string ClientCreated = "client.created";
    public const string ClientUpdated = "client.updated";
    public const string ClientDeleted = "client.deleted";
    public const string ApiCreated = "api.created";
    public const string ApiUpdated = "api.updated";
    public const string ApiDeleted = "api.deleted";
    public const string ApiSecretReset = "api.secret_reset";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserTokensRevoked = "user.tokens_revoked";
    public const string UserMfaReset = "user.mfa_reset";
    public const string UserRolesChanged = "user.roles_changed";
    public const string PasswordChanged = "user.password_changed";
    public const string RoleCreated = "role.created";
    public const string RoleUpdated = "role.updated";
    public const string RoleDeleted = "role.deleted";
    public const string KeyRotated = "key.rotated";
    public const string PatCreated = "pat.created";
    public const string PatRevoked = "pat.revoked";
    public const string ConsentGranted = "consent.granted";
    public const string ConsentWithdrawn = "consent.withdrawn";

    public const string Success = "success";
    public const string Failure = "failure";

    /// <summary>The actor of what the server does on its own (scheduled key rotation, housekeeping).</summary>
    public const string System = "system";
}
