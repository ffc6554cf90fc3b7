using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Configuration;

/// <summary>
/// Everything an operator sets under the <c>Tessera</c> configuration section. The bounds of single settings are the
/// attributes here, checked by <see cref="TesseraOptionsAttributeValidator"/>; rules that join settings or read more than
/// a bound are in <see cref="TesseraOptionsRuleValidator"/>. Every message names the setting by the key an operator writes.
/// </summary>
public sealed class TesseraOptions
{
    public const string Section = "Tessera";

    /// <summary>The issuer identifier (RFC 8414 §2): https, or http on a loopback host only.</summary>
    public string Issuer { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Path of a declarative import file applied at start (also <c>--import</c>).</summary>
    public string? Import { get; set; }

    /// <summary>
    /// <c>--import-overwrite-credentials</c>: the import file's client secrets, jwks and passwords replace stored ones.
    /// Off, they are written only when the client or user is created, so admin changes survive a restart.
    /// </summary>
    public bool ImportOverwriteCredentials { get; set; }

    [ValidateObjectMembers]
    public DatabaseOptions Database { get; set; } = new();
    [ValidateObjectMembers]
    public KeyOptions Keys { get; set; } = new();
    [ValidateObjectMembers]
    public CacheOptions Cache { get; set; } = new();
    [ValidateObjectMembers]
    public HousekeepingOptions Housekeeping { get; set; } = new();
    [ValidateObjectMembers]
    public LimitOptions Limits { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public DataProtectionOptions DataProtection { get; set; } = new();
    [ValidateObjectMembers]
    public RefreshTokenOptions RefreshTokens { get; set; } = new();
    [ValidateObjectMembers]
    public DeviceFlowOptions DeviceFlow { get; set; } = new();
    public UserOptions Users { get; set; } = new();
    [ValidateObjectMembers]
    public MfaOptions Mfa { get; set; } = new();
    [ValidateObjectMembers]
    public EmailOptions Email { get; set; } = new();
    [ValidateObjectMembers]
    public BackChannelLogoutOptions BackChannelLogout { get; set; } = new();
    [ValidateObjectMembers]
    public PersonalAccessTokenOptions PersonalAccessTokens { get; set; } = new();
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
    public TelemetryOptions Telemetry { get; set; } = new();
    [ValidateObjectMembers]
    public AuditOptions Audit { get; set; } = new();
    [ValidateObjectMembers]
    public DpopOptions Dpop { get; set; } = new();
    [ValidateObjectMembers]
    public ParOptions Par { get; set; } = new();
    public RegistrationOptions Registration { get; set; } = new();
    [ValidateObjectMembers]
    public ClientIdMetadataDocumentOptions ClientIdMetadataDocuments { get; set; } = new();
    public BrandingOptions Branding { get; set; } = new();

    /// <summary>External identity providers by name (the name appears in the callback path and the token API).</summary>
    public Dictionary<string, ExternalProviderOptions> ExternalProviders { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Tessera:Mfa — who signs in with a second factor.</summary>
public sealed class MfaOptions
{
    /// <summary>
    /// <c>never</c>: no one may set up an authenticator (users who did before are still asked for it — a setting must
    /// not quietly take a factor away); <c>optional</c> (default): each user decides on /account/security; <c>always</c>:
    /// every sign-in, a password's or an external provider's, ends with a second factor, and a user without one sets one
    /// up before any session starts.
    /// </summary>
    public MfaRequirement Required { get; set; } = MfaRequirement.Optional;

    /// <summary>
    /// How long "remember this browser" spares the code after a password there; 00:00:00 (default) offers no such box.
    /// A remembered browser's sign-in says amr pwd only: a request that needs a second factor still asks for a code.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "90.00:00:00", ErrorMessage = "Tessera:Mfa:RememberBrowser must be between 00:00:00 (off) and 90 days.")]
    public TimeSpan RememberBrowser { get; set; } = TimeSpan.Zero;
}

public enum MfaRequirement
{
    Never,
    Optional,
    Always,
}

public sealed class UserOptions
{
    /// <summary>Whether anyone may create an account at /account/register. Off: users come from the import or an admin.</summary>
    public bool SelfRegistration { get; set; }
}

public sealed class DeviceFlowOptions
{
    /// <summary>RFC 8628 §3.2 expires_in: how long the user has to enter the code.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Tessera:DeviceFlow:CodeLifetime must be between 1 second and 1 hour.")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>RFC 8628 §3.2 interval: the least time between two polls; 5 seconds is the RFC's default.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Tessera:DeviceFlow:Interval must be between 1 second and 1 minute.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class RefreshTokenOptions
{
    /// <summary>How long the refresh tokens of one grant live, counted from the grant; rotation does not extend it.</summary>
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, "366.00:00:00", MinimumIsExclusive = true,
        ErrorMessage = "Tessera:RefreshTokens:Lifetime must be positive and at most 366 days.")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Seconds after a rotation during which the old refresh token still works (a client that refreshed twice at
    /// once). 0, the default, follows RFC 9700 §4.14.2 strictly: any reuse revokes the family. A larger value also
    /// lets a thief who copied the token use it within the window without revoking anything.
    /// </summary>
    [SettingRange(0, 300, ErrorMessage = "Tessera:RefreshTokens:ReuseGraceSeconds must be between 0 (no grace, the default) and 300.")]
    public int ReuseGraceSeconds { get; set; }
}

/// <summary>
/// The TLS-terminating proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. Both empty (the default): the
/// headers are ignored, and the server sees the connection as it is.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>IP addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

public sealed class DataProtectionOptions
{
    /// <summary>
    /// A PKCS#12 file whose certificate encrypts the Data Protection key ring in the database. Without it the key ring
    /// is stored in clear beside the data it protects, so a database dump would reveal signing keys and API secrets.
    /// </summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// A directory, outside the database, that holds the key ring instead of the database. Every node must see the same
    /// directory (a shared volume), and only the server's account may read it.
    /// </summary>
    public string? KeyRingPath { get; set; }

    /// <summary>The operator's explicit acceptance, in Production, of a key ring in clear in the database (logged at every start).</summary>
    public bool AllowUnprotected { get; set; }
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    // Required also refuses an empty or all-blank string.
    [Required(ErrorMessage = "Tessera:Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "Data Source=./data/tessera.db";

    /// <summary>How long a starting node waits for an unreachable database (retrying with backoff) before it gives up.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Tessera:Database:StartupTimeout must be between 00:00:00 and 1 hour.")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// PostgreSQL: the most connections this node opens, shared by every request and background job (a request waits
    /// for a free one). Nodes × this must stay under the server's max_connections (docs/deployment.md). A
    /// <c>Maximum Pool Size</c> in the connection string wins.
    /// </summary>
    [SettingRange(1, 1000, ErrorMessage = "Tessera:Database:MaxPoolSize must be between 1 and 1000.")]
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>
    /// PostgreSQL: a streaming read replica for the reads that may lag — introspection misses and the revocation poll
    /// (docs/scaling.md). A token the replica does not have yet is looked up on the primary before it is called unknown;
    /// the replica's lag adds to the time other nodes take to see a revocation. Unset: every read goes to the primary.
    /// </summary>
    public string? ReadConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL: the connection string names PgBouncer in transaction mode, older than 1.21, which cannot carry
    /// prepared statements from one transaction to the next: automatic preparation is then off. A <c>Max Auto Prepare</c>
    /// in the connection string wins.
    /// </summary>
    public bool PgBouncer { get; set; }
}

public static class DatabaseProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}

public sealed class KeyOptions
{
    /// <summary>How long one signing key signs before the next one takes over.</summary>
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, TimeSpanBounds.Max, MinimumIsExclusive = true,
        ErrorMessage = "Tessera:Keys:RotationPeriod must be positive.")]
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the next key sits in the JWKS before it signs, so JWKS caches learn it first.</summary>
    public TimeSpan PrepublishPeriod { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often a node checks whether a key is due.</summary>
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, TimeSpanBounds.Max, MinimumIsExclusive = true,
        ErrorMessage = "Tessera:Keys:CheckInterval must be positive.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>RSA modulus size for RS256/PS256 keys.</summary>
    [SettingRange(2048, 8192, ErrorMessage = "Tessera:Keys:RsaKeySize must be between 2048 and 8192.")]
    public int RsaKeySize { get; set; } = 2048;
}

public sealed class CacheOptions
{
    /// <summary>How often a node polls the database for changes other nodes made to clients, APIs and keys.</summary>
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, TimeSpanBounds.Max, MinimumIsExclusive = true,
        ErrorMessage = "Tessera:Cache:RefreshInterval must be positive.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a node reads revocations made by other nodes and drops those tokens from its opaque-token cache.
    /// This bounds how long another node may still call a revoked opaque token active; the revoking node knows at once.
    /// </summary>
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, TimeSpanBounds.Max, MinimumIsExclusive = true,
        ErrorMessage = "Tessera:Cache:RevocationPollInterval must be positive.")]
    public TimeSpan RevocationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many opaque-token rows a node keeps in memory for introspection (those introspected lately).</summary>
    [SettingRange(0, int.MaxValue, ErrorMessage = "Tessera:Cache:OpaqueTokenCacheSize must be zero (no cache) or more.")]
    public int OpaqueTokenCacheSize { get; set; } = 50_000;

    /// <summary>
    /// A Redis that the nodes share as a second-level introspection cache (a StackExchange.Redis configuration string, e.g.
    /// <c>redis.internal:6379,password=…,ssl=true</c>), so N nodes read an opaque token from the database about once in
    /// total instead of once each. Optional: unset, each node has only its own cache. PostgreSQL stays the source of truth
    /// and a node that cannot reach Redis reads the database.
    /// </summary>
    public string? Redis { get; set; }
}

public sealed class HousekeepingOptions
{
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, TimeSpanBounds.Max, MinimumIsExclusive = true,
        ErrorMessage = "Tessera:Housekeeping:Interval must be positive.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Rows per DELETE. Measured on PostgreSQL 15 with 500,000 expired opaque tokens: 1,000 rows take 14 ms, 5,000 take
    /// 99 ms — each batch is one short transaction, so a bigger batch holds its locks (SQLite's one writer lock) longer.
    /// </summary>
    [SettingRange(1, 100_000, ErrorMessage = "Tessera:Housekeeping:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 1000;

    /// <summary>The pause between two batches of one table, so that writers waiting on a lock get in.</summary>
    [SettingRange(typeof(TimeSpan), TimeSpanBounds.Zero, "00:00:10", ErrorMessage = "Tessera:Housekeeping:BatchPause must be between 0 and 10 seconds.")]
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(2);
}

public sealed class LimitOptions
{
    /// <summary>Largest form body the protocol endpoints read (a client assertion fits easily).</summary>
    [SettingRange(1024, 1024 * 1024, ErrorMessage = "Tessera:Limits:MaxFormBytes must be between 1024 and 1048576.")]
    public int MaxFormBytes { get; set; } = 64 * 1024;

    /// <summary>Allowed clock skew when checking client assertions and DPoP proofs.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
