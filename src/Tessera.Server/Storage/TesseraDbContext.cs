using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Storage.Apis;
using Tessera.Server.Storage.Clients;
using Tessera.Server.Storage.Keys;
using Tessera.Server.Storage.Sessions;
using Tessera.Server.Storage.Throttling;
using Tessera.Server.Storage.Tokens;
using Tessera.Server.Storage.Users;

namespace Tessera.Server.Storage;

/// <summary>
/// The one database of a Tessera deployment. Provider-specific subclasses exist only to carry their own migrations.
/// </summary>
public abstract class TesseraDbContext(DbContextOptions options) : IdentityDbContext<TesseraUser, TesseraRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<ApiResource> ApiResources => Set<ApiResource>();
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    /// <summary>A sign-in's amr values ("pwd otp mfa", "hwk user mfa") fit easily; the column is not a free text.</summary>
    private const int AmrMaxLength = 64;

    public DbSet<OpaqueToken> OpaqueTokens => Set<OpaqueToken>();
    public DbSet<RevokedJwt> RevokedJwts => Set<RevokedJwt>();
    public DbSet<RevocationEvent> RevocationEvents => Set<RevocationEvent>();
    public DbSet<ClientAssertionUse> ClientAssertionUses => Set<ClientAssertionUse>();
    public DbSet<DpopProofUse> DpopProofUses => Set<DpopProofUse>();
    public DbSet<PushedAuthorizationRequest> PushedAuthorizationRequests => Set<PushedAuthorizationRequest>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<ChangeStamp> ChangeStamps => Set<ChangeStamp>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AuthorizationCode> AuthorizationCodes => Set<AuthorizationCode>();
    public DbSet<Consent> Consents => Set<Consent>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<DeviceAuthorization> DeviceAuthorizations => Set<DeviceAuthorization>();
    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();
    public DbSet<GuessCounter> GuessCounters => Set<GuessCounter>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<PasskeyCeremony> PasskeyCeremonies => Set<PasskeyCeremony>();
    public DbSet<SessionClient> SessionClients => Set<SessionClient>();
    public DbSet<LogoutNotification> LogoutNotifications => Set<LogoutNotification>();
    public DbSet<PasskeyUse> PasskeyUses => Set<PasskeyUse>();
    public DbSet<Audit.AuditEvent> AuditEvents => Set<Audit.AuditEvent>();


    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<TesseraUser>().Property(u => u.Name).HasMaxLength(256);
        builder.Entity<TesseraUser>().Property(u => u.Attributes).HasMaxLength(TesseraUser.MaxAttributesLength);
        builder.Entity<TesseraRole>().Property(r => r.Description).HasMaxLength(TesseraRole.MaxDescriptionLength);
        // Every node reads the disabled users at each revocation poll; the enabled many stay out of this index.
        builder.Entity<TesseraUser>().HasIndex(u => u.DisabledAt).HasFilter("\"DisabledAt\" IS NOT NULL");

        // Identity's passkeys (its schema version 3). Identity configures them only when IdentityOptions reach the context
        // through the application's service provider, which the design-time factories and pooled contexts do not promise;
        // the table is declared here so the model never depends on how the context was made.
        builder.Entity<IdentityUserPasskey<string>>(passkey =>
        {
            passkey.ToTable("AspNetUserPasskeys");
            passkey.HasKey(p => p.CredentialId);
            // WebAuthn §5.1: a credential id is at most 1023 bytes.
            passkey.Property(p => p.CredentialId).HasMaxLength(1024);
            passkey.OwnsOne(p => p.Data).ToJson();
            passkey.HasOne<TesseraUser>().WithMany().HasForeignKey(p => p.UserId).IsRequired();
        });

        builder.Entity<PasskeyCeremony>(ceremony =>
        {
            ceremony.Property(c => c.Id).HasMaxLength(64);
            ceremony.Property(c => c.Kind).HasMaxLength(32);
            ceremony.Property(c => c.UserId).HasMaxLength(450);
            ceremony.Property(c => c.State).HasMaxLength(8192);
            ceremony.HasIndex(c => c.ExpiresAt);
        });

        builder.Entity<PasskeyUse>(use =>
        {
            use.HasKey(u => u.CredentialId);
            // WebAuthn credential ids are at most 1023 bytes (Identity's own column is as long).
            use.Property(u => u.CredentialId).HasMaxLength(1024);
            use.Property(u => u.UserId).HasMaxLength(450);
            use.HasIndex(u => u.UserId);
            // The last use goes with its passkey (removed by the user, reset by an administrator, or with the user).
            use.HasOne<IdentityUserPasskey<string>>().WithOne().HasForeignKey<PasskeyUse>(u => u.CredentialId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SessionClient>(client =>
        {
            client.HasKey(c => new { c.SessionId, c.ClientId });
            client.Property(c => c.SessionId).HasMaxLength(64);
            client.Property(c => c.ClientId).HasMaxLength(200);
            client.Property(c => c.UserId).HasMaxLength(450);
            client.HasIndex(c => c.CreatedAt);
        });

        builder.Entity<LogoutNotification>(logout =>
        {
            logout.Property(l => l.ClientId).HasMaxLength(200);
            logout.Property(l => l.UserId).HasMaxLength(450);
            logout.Property(l => l.SessionId).HasMaxLength(64);
            // Every node's sender looks for due notifications.
            logout.HasIndex(l => l.NextAttemptAt);
        });

        builder.Entity<Audit.AuditEvent>(audit =>
        {
            audit.Property(e => e.Type).HasMaxLength(Audit.AuditEvent.MaxTypeLength);
            audit.Property(e => e.UserId).HasMaxLength(Audit.AuditEvent.MaxIdLength);
            audit.Property(e => e.ClientId).HasMaxLength(Audit.AuditEvent.MaxIdLength);
            audit.Property(e => e.Actor).HasMaxLength(Audit.AuditEvent.MaxIdLength);
            audit.Property(e => e.IpAddress).HasMaxLength(64);
            audit.Property(e => e.UserAgent).HasMaxLength(Audit.AuditEvent.MaxUserAgentLength);
            audit.Property(e => e.Outcome).HasMaxLength(16);
            audit.Property(e => e.Details).HasMaxLength(Audit.AuditEvent.MaxDetailsLength);
            // GET /admin/audit filters by one of these and pages newest first by Id; housekeeping prunes by time.
            audit.HasIndex(e => new { e.Type, e.Id });
            audit.HasIndex(e => new { e.UserId, e.Id });
            audit.HasIndex(e => new { e.ClientId, e.Id });
            audit.HasIndex(e => e.OccurredAt);
        });

        builder.Entity<UserSession>(session =>
        {
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.UserId).HasMaxLength(450);
            session.Property(s => s.UserAgent).HasMaxLength(UserSession.MaxUserAgentLength);
            session.Property(s => s.IpAddress).HasMaxLength(64);
            // The account page lists a user's sessions; a credential change ends them all.
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
            // The revocation poll reads recently ended sessions; live ones stay out of this index.
            session.HasIndex(s => s.EndedAt).HasFilter("\"EndedAt\" IS NOT NULL");
        });

        builder.Entity<ApiResource>(api =>
        {
            api.Property(a => a.Name).HasMaxLength(200);
            api.Property(a => a.Audience).HasMaxLength(2000);
            api.Property(a => a.AccessTokenFormat).HasMaxLength(16);
            api.Property(a => a.SigningAlgorithm).HasMaxLength(16);
            api.Property(a => a.UserAccess).HasMaxLength(16);
            api.Property(a => a.TokenClaims).HasMaxLength(1200);
            api.Property(a => a.ScopeDisplayNames).HasMaxLength(100_000);
            api.HasIndex(a => a.Name).IsUnique();
            api.HasIndex(a => a.Audience).IsUnique();
        });

        builder.Entity<Client>(client =>
        {
            client.Property(c => c.ClientId).HasMaxLength(200);
            client.Property(c => c.DisplayName).HasMaxLength(200);
            client.Property(c => c.IdTokenClaims).HasMaxLength(1200);
            client.Property(c => c.BackchannelLogoutUri).HasMaxLength(2000);
            client.Property(c => c.JwksUri).HasMaxLength(2000);
            client.Property(c => c.LogoUri).HasMaxLength(2000);
            client.Property(c => c.ClientUri).HasMaxLength(2000);
            client.HasIndex(c => c.ClientId).IsUnique();
        });

        builder.Entity<SigningKey>(key =>
        {
            key.Property(k => k.Id).HasMaxLength(64);
            key.Property(k => k.Algorithm).HasMaxLength(16);
            key.HasIndex(k => new { k.Algorithm, k.ActivatesAt });
        });

        builder.Entity<OpaqueToken>(token =>
        {
            token.HasKey(t => t.Hash);
            token.Property(t => t.Jti).HasMaxLength(64);
            token.Property(t => t.ClientId).HasMaxLength(200);
            token.Property(t => t.Subject).HasMaxLength(200);
            token.Property(t => t.Amr).HasMaxLength(AmrMaxLength);
            // Housekeeping deletes by expiry in batches: this index keeps that cheap on a large table.
            token.HasIndex(t => t.ExpiresAt);
            // Every node polls for recent revocations to drop them from its cache. Partial: the many live tokens are
            // not in it, so inserting a token does not touch this index at all.
            token.HasIndex(t => t.RevokedAt).HasFilter("\"RevokedAt\" IS NOT NULL");
        });

        builder.Entity<RevokedJwt>(revoked =>
        {
            revoked.HasKey(r => r.Jti);
            revoked.Property(r => r.Jti).HasMaxLength(64);
            revoked.HasIndex(r => r.ExpiresAt);
        });

        builder.Entity<RevocationEvent>(revocation =>
        {
            // Generated by the database and only growing (AUTOINCREMENT on SQLite, so a deleted last line is never reused):
            // each node's revocation poll reads the lines after the last id it saw.
            revocation.Property(r => r.Id).ValueGeneratedOnAdd();
            revocation.Property(r => r.Key).HasMaxLength(450);
            // Housekeeping deletes lines by age.
            revocation.HasIndex(r => r.CreatedAt);
        });

        builder.Entity<ClientAssertionUse>(use =>
        {
            use.Property(u => u.Id).HasMaxLength(512);
            use.HasIndex(u => u.ExpiresAt);
        });

        builder.Entity<PushedAuthorizationRequest>(pushed =>
        {
            pushed.HasKey(p => p.Hash);
            pushed.Property(p => p.ClientId).HasMaxLength(200);
            pushed.HasIndex(p => p.ExpiresAt);
        });

        builder.Entity<DpopProofUse>(use =>
        {
            // 43 characters of thumbprint, a space, 43 of hashed jti.
            use.Property(u => u.Id).HasMaxLength(100);
            use.HasIndex(u => u.ExpiresAt);
        });

        builder.Entity<AuthorizationCode>(code =>
        {
            code.HasKey(c => c.Hash);
            code.Property(c => c.ClientId).HasMaxLength(200);
            code.Property(c => c.RedirectUri).HasMaxLength(2000);
            code.Property(c => c.CodeChallenge).HasMaxLength(64);
            code.Property(c => c.Nonce).HasMaxLength(512);
            code.Property(c => c.Subject).HasMaxLength(200);
            code.Property(c => c.SessionId).HasMaxLength(64);
            code.Property(c => c.Amr).HasMaxLength(AmrMaxLength);
            code.Property(c => c.IssuedTokenJti).HasMaxLength(64);
            code.Property(c => c.IssuedRefreshFamilyId).HasMaxLength(32);
            code.HasIndex(c => c.ExpiresAt);
        });

        builder.Entity<RefreshToken>(token =>
        {
            token.HasKey(t => t.Hash);
            token.Property(t => t.FamilyId).HasMaxLength(32);
            token.Property(t => t.ClientId).HasMaxLength(200);
            token.Property(t => t.Subject).HasMaxLength(450);
            token.Property(t => t.SessionId).HasMaxLength(64);
            token.Property(t => t.Amr).HasMaxLength(AmrMaxLength);
            token.Property(t => t.AccessTokenJti).HasMaxLength(64);
            // Revoking a family, and a withdrawn grant finding its families.
            token.HasIndex(t => t.FamilyId);
            token.HasIndex(t => new { t.Subject, t.ClientId });
            token.HasIndex(t => t.ExpiresAt);
            // A session that ends revokes the refresh tokens bound to it (Back-Channel Logout §2.7).
            token.HasIndex(t => t.SessionId).HasFilter("\"SessionId\" IS NOT NULL");
        });

        builder.Entity<DeviceAuthorization>(device =>
        {
            device.HasKey(d => d.DeviceCodeHash);
            device.Property(d => d.UserCode).HasMaxLength(8);
            device.Property(d => d.ClientId).HasMaxLength(200);
            device.Property(d => d.Status).HasMaxLength(16);
            device.Property(d => d.Subject).HasMaxLength(450);
            device.Property(d => d.SessionId).HasMaxLength(64);
            device.Property(d => d.Amr).HasMaxLength(AmrMaxLength);
            // The device page finds a request by its user code, which must name one request only.
            device.HasIndex(d => d.UserCode).IsUnique();
            device.HasIndex(d => d.ExpiresAt);
        });

        builder.Entity<PersonalAccessToken>(token =>
        {
            token.Property(t => t.Id).HasMaxLength(32);
            token.Property(t => t.UserId).HasMaxLength(450);
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.ClientId).HasMaxLength(200);
            // Introspection finds a token by its hash: one index seek.
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasIndex(t => t.UserId);
            token.HasIndex(t => t.ExpiresAt);
            // The revocation poll reads recent revocations; live tokens stay out of this index.
            token.HasIndex(t => t.RevokedAt).HasFilter("\"RevokedAt\" IS NOT NULL");
        });

        builder.Entity<Consent>(consent =>
        {
            consent.HasKey(c => new { c.UserId, c.ClientId });
            consent.Property(c => c.UserId).HasMaxLength(450);
            consent.Property(c => c.ClientId).HasMaxLength(200);
        });

        builder.Entity<GuessCounter>(counter =>
        {
            // One row per partition: the reservation's ON CONFLICT needs this key.
            counter.HasKey(c => new { c.Kind, c.Key });
            counter.Property(c => c.Kind).HasMaxLength(32);
            counter.Property(c => c.Key).HasMaxLength(64);
            counter.HasIndex(c => c.ExpiresAt);
        });

        builder.Entity<ServerSecret>(secret =>
        {
            secret.HasKey(s => s.Name);
            secret.Property(s => s.Name).HasMaxLength(100);
        });

        builder.Entity<ChangeStamp>(stamp =>
        {
            stamp.Property(s => s.Id).ValueGeneratedNever();
            stamp.HasData(new ChangeStamp { Id = ChangeStamp.SingletonId, Version = 1 });
        });
    }
}

public sealed class SqliteTesseraDbContext(DbContextOptions<SqliteTesseraDbContext> options) : TesseraDbContext(options);

public sealed class PostgresTesseraDbContext(DbContextOptions<PostgresTesseraDbContext> options) : TesseraDbContext(options);
