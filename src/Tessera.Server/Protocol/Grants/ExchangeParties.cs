using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Apis;
using Tessera.Server.Catalog;
using Tessera.Server.Tokens.AccessTokens;
using Tessera.Server.Tokens.IdTokens;
using Tessera.Server.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Protocol.Grants;

/// <summary>A subject or actor of a token exchange: who it is, what its token grants, and until when.</summary>
/// <param name="ClientId">The client the token was issued to; null for a PAT made on the account page.</param>
/// <param name="Scopes">
/// What may be derived from it: an access token's scopes; for an ID token the scopes the user consented to at the
/// client, or null when the client asks no consent (first party: whatever it is registered for).
/// </param>
/// <param name="ActorJson">The token's own <c>act</c> claim, when it was itself issued to an actor.</param>
/// <param name="IsSignIn">An ID token: proof of a sign-in at the client, not of a grant.</param>
internal sealed record ExchangeParty(string Subject, string? ClientId, IReadOnlyList<string>? Scopes, long ExpiresAt, string? ActorJson, bool IsSignIn = false);

/// <summary>Reads the subject_token and actor_token of a token exchange (RFC 8693 §2.1) as tokens of this server.</summary>
internal sealed class ExchangeParties(AccessTokenInspector inspector, IdTokenReader idTokens, ConsentStore consents)
{
    public async ValueTask<Outcome<ExchangeParty>> ReadAsync(
        ProtocolForm form, string tokenParameter, string typeParameter, RegisteredClient client, CancellationToken cancellationToken)
    {
        var token = form[tokenParameter];
        var type = form[typeParameter];
        if (string.IsNullOrEmpty(token)) return OAuthError.InvalidRequest($"{tokenParameter} is required");
        if (type is null) return OAuthError.InvalidRequest($"{typeParameter} is required");

        switch (type)
        {
            case TokenTypes.AccessTokenUri:
                // Any active access token of ours: JWT or opaque (revocation and expiry checked by the inspector).
                var inspected = await inspector.InspectAsync(token, cancellationToken);
                if (inspected is null) return OAuthError.InvalidGrant($"{tokenParameter} is not an active access token");
                // RFC 8693 §5: the subject must be a token this server issued; the API holding a shared secret could have
                // written this one itself, for any user and any scope.
                if (inspected.SignedWithSharedSecret)
                    return OAuthError.InvalidGrant($"{tokenParameter} is signed with an API's shared secret, which only that API may rely on");
                return new ExchangeParty(inspected.Subject, inspected.ClientId, SpaceDelimited.Split(inspected.Scope),
                    inspected.ExpiresAt, inspected.Format == AccessTokenFormats.Jwt ? ActorOf(token) : null);

            case TokenTypes.IdTokenUri:
                var idToken = await idTokens.ReadAsync(token, checkLifetime: true);
                if (idToken is null) return OAuthError.InvalidGrant($"{tokenParameter} is not a valid ID token issued by this server");
                // RFC 8693 §5: an ID token proves a sign-in at the client it was issued to, and to no one else.
                if (idToken.Client.ClientId != client.ClientId)
                    return OAuthError.InvalidGrant($"{tokenParameter} was issued to another client");
                // An ID token proves the sign-in, not a grant: API scopes come from what the user consented to here.
                var consented = client.RequireConsent ? await consents.GrantedScopesAsync(idToken.Subject, client.ClientId, cancellationToken) : null;
                return new ExchangeParty(idToken.Subject, client.ClientId, consented, idToken.ExpiresAt, null, IsSignIn: true);

            default:
                // RFC 8693 §2.2.2: invalid_request for a token type the server does not accept.
                return OAuthError.InvalidRequest($"{typeParameter} '{type}' is not supported");
        }
    }

    /// <summary>RFC 8693 §4.1: <c>{"sub": actor, "act": earlier actors}</c>.</summary>
    public static string ActorClaim(string actorSubject, string? earlierActorJson)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(Claims.Subject, actorSubject);
            if (earlierActorJson is not null)
            {
                json.WritePropertyName(Claims.Actor);
                json.WriteRawValue(earlierActorJson);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The <c>act</c> claim of a JWT the inspector has already validated, as raw JSON.</summary>
    private static string? ActorOf(string jwt)
    {
        var payload = Base64UrlEncoder.DecodeBytes(new JsonWebToken(jwt).EncodedPayload);
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty(Claims.Actor, out var act) && act.ValueKind == JsonValueKind.Object ? act.GetRawText() : null;
    }
}
