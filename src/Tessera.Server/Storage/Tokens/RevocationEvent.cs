namespace Tessera.Server.Storage.Tokens;

/// <summary>
/// One line of the revocation log: something every node must forget or refuse from now on. Every revocation appends
/// here in the transaction that revokes, and each node's revocation poll reads only the lines after the last it saw
/// (<see cref="Id"/> only grows), so an idle poll is one statement that returns nothing.
/// </summary>
public sealed class RevocationEvent
{
    public long Id { get; set; }
    public RevocationKind Kind { get; set; }

    /// <summary>A JWT's jti, a token's SHA-256 in base64, a session id or a user id, as <see cref="Kind"/> says.</summary>
    public required string Key { get; set; }

    /// <summary>
    /// A JWT's or opaque token's exp: a node keeps it on its deny-list until then. 0 for the others, which leave the
    /// caches at once.
    /// </summary>
    public long ExpiresAt { get; set; }

    /// <summary>When it was appended: housekeeping deletes lines every node has long read.</summary>
    public long CreatedAt { get; set; }
}

/// <summary>What a <see cref="RevocationEvent"/> names.</summary>
public enum RevocationKind : short
{
    Jwt = 1,
    OpaqueToken = 2,
    PersonalAccessToken = 3,
    Session = 4,

    /// <summary>A user disabled or enabled: every node reloads its set of disabled users.</summary>
    User = 5,
}
