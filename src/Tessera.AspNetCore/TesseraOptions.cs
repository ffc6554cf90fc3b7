using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tessera.AspNetCore.Events;

namespace Tessera.AspNetCore;

/// <summary>Options of the Tessera bearer handler: where the issuer is, which audience this API is, how tokens are checked.</summary>
public sealed class TesseraOptions : AuthenticationSchemeOptions
{
    public TesseraOptions() => Events = new TesseraEvents();

    /// <summary>The issuer, e.g. <c>https://id.example</c>; its discovery document is read from <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>Overrides the discovery document's address (default: derived from <see cref="Authority"/>).</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>HTTPS is required for the metadata unless the authority is on loopback and this is false.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The audience this API accepts (its API resource's <c>audience</c>).</summary>
    public string? Audience { get; set; }

    /// <summary>What <c>MapTesseraProtectedResourceMetadata</c> publishes of this API (RFC 9728).</summary>
    public ProtectedResource.ProtectedResourceMetadataOptions ProtectedResource { get; } = new();

    /// <summary>More accepted audiences (a gateway in front of several APIs); <see cref="Audience"/> is added to them.</summary>
    public ICollection<string> ValidAudiences { get; } = new List<string>();

    /// <summary>Asymmetric JWS algorithms accepted on JWT access tokens; anything else (including "none" and HS*) is refused.</summary>
    public ICollection<string> ValidAlgorithms { get; } = new List<string> { "RS256", "PS256", "ES256" };

    /// <summary>RFC 9449: proofs of DPoP-bound tokens (accepted with the DPoP scheme, refused as Bearer by default).</summary>
    public Dpop.DpopResourceOptions Dpop { get; } = new();

    /// <summary>Tolerated clock difference on exp and nbf, and on DPoP proofs' iat.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The header the token is read from. Null (default): only <c>Authorization: Bearer</c> (RFC 6750 §2.1). A service
    /// behind the gateway sets <see cref="TesseraDefaults.IdentityHeader"/>: the header then carries the bare JWT.
    /// </summary>
    public string? TokenHeader { get; set; }

    /// <summary>The API's own client id and secret at Tessera, for introspecting opaque tokens and PATs (RFC 7662 §2.1).
    /// Without them only JWTs are accepted.</summary>
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>How long an introspection answer is reused (never beyond the token's exp). A revoked opaque token keeps
    /// working at this API for at most this long: that is the price of not asking the issuer on every request.</summary>
    public TimeSpan IntrospectionCacheWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a validated JWT's claims are reused for the same token (never beyond its exp), so a busy API does not
    /// verify the same signature on every request. Only valid tokens are kept. A signing key withdrawn from the JWKS
    /// stops counting for tokens already seen after at most this long. Zero checks every request in full.
    /// </summary>
    public TimeSpan JwtCacheWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most tokens (introspection answers and validated JWTs) kept in memory; beyond it new ones are not cached. The memory
    /// cache counts bytes (1 KiB a token, about twice what a token's entry takes), so at least this many tokens fit.
    /// </summary>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Also keep introspection answers in the registered <c>IDistributedCache</c>, shared by the API's nodes. A node that
    /// reads an entry there keeps it in memory for the rest of that entry's life and never writes it back, so a shared
    /// answer ends when its window ends. (HybridCache ignores an in-process <c>MemoryDistributedCache</c>: it is no L2.)
    /// </summary>
    public bool UseDistributedCache { get; set; }

    /// <summary>Least time between two JWKS refreshes triggered by an unknown "kid" (a flood of bogus kids costs one fetch per interval).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the discovery document and JWKS are refreshed anyway.</summary>
    public TimeSpan AutomaticRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Keeps the raw token on the request (<see cref="TesseraTokenFeature"/>) so it can be forwarded.</summary>
    public bool SaveToken { get; set; } = true;

    public HttpMessageHandler? BackchannelHttpHandler { get; set; }
    public HttpClient Backchannel { get; set; } = null!;
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Set by post-configuration from <see cref="MetadataAddress"/> unless given.</summary>
    public IConfigurationManager<OpenIdConnectConfiguration> ConfigurationManager { get; set; } = null!;

    /// <summary>
    /// Set by post-configuration: this scheme's introspection answers and validated JWTs, by the token's SHA-256, in a
    /// HybridCache of its own (memory bounded by <see cref="TokenCacheSize"/>; L2 only with <see cref="UseDistributedCache"/>).
    /// </summary>
    public HybridCache TokenCache { get; set; } = null!;

    public new TesseraEvents Events
    {
        get => (TesseraEvents)base.Events!;
        set => base.Events = value;
    }

    private Validation.JwtAccessTokenValidator? _jwtValidator;

    /// <summary>One per scheme: it holds the rate limit of forced JWKS refreshes.</summary>
    internal Validation.JwtAccessTokenValidator JwtValidator =>
        LazyInitializer.EnsureInitialized(ref _jwtValidator, () => new Validation.JwtAccessTokenValidator(this, TimeProvider ?? TimeProvider.System));

    private Validation.IntrospectionClient? _introspection;

    /// <summary>One per scheme: it holds the cache-entry options of introspection answers.</summary>
    internal Validation.IntrospectionClient Introspection =>
        LazyInitializer.EnsureInitialized(ref _introspection, () => new Validation.IntrospectionClient(this, TimeProvider ?? TimeProvider.System));

    private Dpop.DpopReplayCache? _dpopReplay;

    /// <summary>One per scheme: the proof ids this API has accepted (RFC 9449 §11.1).</summary>
    internal Dpop.DpopReplayCache DpopReplay =>
        LazyInitializer.EnsureInitialized(ref _dpopReplay, () => new Dpop.DpopReplayCache(Dpop.ReplayCacheSize, TimeProvider ?? TimeProvider.System));

    internal IEnumerable<string> AllAudiences => Audience is null ? ValidAudiences : ValidAudiences.Append(Audience);

    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(Authority) && string.IsNullOrEmpty(MetadataAddress))
            throw new InvalidOperationException("Tessera: set Authority (the issuer) or MetadataAddress.");
        if (!AllAudiences.Any())
            throw new InvalidOperationException("Tessera: set Audience (the audience of this API's resource).");
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret))
            throw new InvalidOperationException("Tessera: set both ClientId and ClientSecret (for introspection) or neither.");
        if (Dpop.Algorithms.Count == 0 || Dpop.ProofLifetime <= TimeSpan.Zero || Dpop.ReplayCacheSize <= 0)
            throw new InvalidOperationException("Tessera: Dpop needs at least one algorithm, a positive ProofLifetime and ReplayCacheSize.");
        if (IntrospectionCacheWindow < TimeSpan.Zero || JwtCacheWindow < TimeSpan.Zero || TokenCacheSize < 0)
            throw new InvalidOperationException("Tessera: IntrospectionCacheWindow, JwtCacheWindow and TokenCacheSize must not be negative.");
    }
}
