using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>The clients, APIs and keys of the standard test import; tests refer to them by these names.</summary>
public static class TestClients
{
    public const string Service = "svc";
    public const string ServiceSecret = "svc-secret-0123456789-abcdefghij";
    public const string Other = "other";
    public const string OtherSecret = "other-secret-0123456789-abcdefgh";
    public const string Admin = "admin";
    public const string AdminSecret = "admin-secret-0123456789-abcdefgh";
    public const string NoClientCredentials = "web-only";
    public const string NoClientCredentialsSecret = "web-only-secret-0123456789-abcdef";
    public const string KeyClient = "key-client";
    /// <summary>The one client an operator allowed tokens for several APIs (multiAudienceTokens).</summary>
    public const string MultiAudience = "multi";
    public const string MultiAudienceSecret = "multi-secret-0123456789-abcdefgh";

    public const string MessagesAudience = "https://api.example/messages";
    public const string LedgerAudience = "https://api.example/ledger";
    public const string EcAudience = "https://api.example/ec";
    public const string PssAudience = "https://api.example/pss";
    public const string ReportsAudience = "https://api.example/reports";
    public const string ShortAudience = "https://api.example/short";
    public const string ShortOpaqueAudience = "https://api.example/short-opaque";
    public const string InventoryAudience = "https://api.example/inventory";

    /// <summary>The private half of <see cref="KeyClient"/>'s key; the import carries only the public JWK.</summary>
    public static readonly ECDsa KeyClientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsaSecurityKey KeyClientSecurityKey = new(KeyClientKey) { KeyId = "key-client-1" };

    public static JsonObject StandardImport() => new()
    {
        ["apiResources"] = new JsonArray
        {
            WithPersonalAccessTokens(Api("messages", MessagesAudience, ["message", "message:write"], "jwt", "RS256", "00:15:00")),
            WithPersonalAccessTokens(Api("ledger", LedgerAudience, ["ledger"], "opaque", null, "01:00:00")),
            Api("ec", EcAudience, ["ec"], "jwt", "ES256", "00:15:00"),
            Api("pss", PssAudience, ["pss"], "jwt", "PS256", "00:15:00"),
            Api("reports", ReportsAudience, ["reports"], "jwt", "HS256", "00:15:00"),
            Api("reports-too", "https://api.example/reports-too", ["reports-too"], "jwt", "HS256", "00:15:00"),
            Api("short", ShortAudience, ["short"], "jwt", "RS256", "00:00:02"),
            Api("short-opaque", ShortOpaqueAudience, ["short-opaque"], "opaque", null, "00:00:02"),
            Api("inventory", InventoryAudience, ["inventory"], "jwt", "RS256", "00:30:00"),
        },
        ["clients"] = new JsonArray
        {
            Introspecting(Client(Service, ServiceSecret, ["client_credentials"],
                ["message", "message:write", "ledger", "ec", "pss", "reports", "reports-too", "short", "short-opaque", "inventory"])),
            Introspecting(Client(Other, OtherSecret, ["client_credentials"], ["message", "ledger"])),
            Client(Admin, AdminSecret, ["client_credentials"], ["tessera:admin", "tessera:pats"]),
            MultiAudienceTokens(Client(MultiAudience, MultiAudienceSecret, ["client_credentials"], ["message", "ledger", "inventory", "tessera:admin"])),
            WithRedirectUri(Client(NoClientCredentials, NoClientCredentialsSecret, ["authorization_code"], ["message"]), "https://web.example/callback"),
            new JsonObject
            {
                ["clientId"] = KeyClient,
                ["grantTypes"] = new JsonArray("client_credentials"),
                ["scopes"] = new JsonArray("message"),
                ["jwks"] = PublicJwks(KeyClientSecurityKey),
            },
        },
        ["users"] = new JsonArray
        {
            new JsonObject { ["username"] = "alice", ["password"] = "Alice-test-pass-1", ["email"] = "alice@example.com", ["emailVerified"] = true, ["name"] = "Alice" },
        },
    };

    public static JsonObject PublicJwks(ECDsaSecurityKey key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = key.KeyId });
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = jwk.Kty, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y, ["kid"] = jwk.Kid, ["use"] = "sig", ["alg"] = "ES256",
            }),
        };
    }

    private static JsonObject Api(string name, string audience, string[] scopes, string format, string? alg, string lifetime)
    {
        var api = new JsonObject
        {
            ["name"] = name, ["audience"] = audience, ["scopes"] = new JsonArray(scopes.Select(s => (JsonNode)s).ToArray()),
            ["accessTokenFormat"] = format, ["accessTokenLifetime"] = lifetime,
        };
        if (alg is not null) api["signingAlgorithm"] = alg;
        return api;
    }

    /// <summary>Every API of the standard import: svc and other are the resource servers the tests introspect with.</summary>
    public static readonly string[] ApiNames = ["messages", "ledger", "ec", "pss", "reports", "reports-too", "short", "short-opaque", "inventory"];

    private static JsonObject Introspecting(JsonObject client)
    {
        client["introspects"] = new JsonArray(ApiNames.Select(n => (JsonNode)n).ToArray());
        return client;
    }

    /// <summary>The API opts in to personal access tokens.</summary>
    private static JsonObject WithPersonalAccessTokens(JsonObject api)
    {
        api["personalAccessTokens"] = true;
        return api;
    }

    private static JsonObject MultiAudienceTokens(JsonObject client)
    {
        client["multiAudienceTokens"] = true;
        return client;
    }

    private static JsonObject WithRedirectUri(JsonObject client, string redirectUri)
    {
        client["redirectUris"] = new JsonArray(redirectUri);
        return client;
    }

    private static JsonObject Client(string id, string secret, string[] grants, string[] scopes) => new()
    {
        ["clientId"] = id, ["clientSecret"] = secret,
        ["grantTypes"] = new JsonArray(grants.Select(g => (JsonNode)g).ToArray()),
        ["scopes"] = new JsonArray(scopes.Select(s => (JsonNode)s).ToArray()),
    };
}
