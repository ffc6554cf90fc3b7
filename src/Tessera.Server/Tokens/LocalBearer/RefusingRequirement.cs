using Microsoft.AspNetCore.Authorization;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Tokens.LocalBearer;

/// <summary>
/// A requirement of a built-in API's policy that knows its answer when it fails: the RFC 6750 §3.1 error (or RFC 9470
/// §3's), with its status and WWW-Authenticate challenge, exactly as the API answered it before policies.
/// </summary>
internal abstract class RefusingRequirement : IAuthorizationRequirement
{
    public abstract OAuthError Refusal { get; }
}
