namespace Tessera.Server.Import;

/// <summary>What <see cref="ImportApplier"/> does with the credentials (client secrets, jwks, passwords) of objects that already exist.</summary>
public enum CredentialWrites
{
    /// <summary>
    /// The import file at start: a credential is written when its client or user is created, never over a stored one,
    /// so a secret rotated or a password reset through the admin API survives the next restart.
    /// </summary>
    OnCreateOnly,

    /// <summary><c>--import-overwrite-credentials</c>: the file's credentials replace stored ones, each overwrite logged at Warning.</summary>
    Overwrite,

    /// <summary>The admin API's PUT, an explicit change: a new clientSecret or jwks is written; a client sent without clientSecret keeps its secret.</summary>
    AdminReplace,
}
