using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Responses;

/// <summary>403 decided by an endpoint (insufficient_scope, RFC 6750 §3.1), for a rule about the resource the path names.</summary>
public sealed class ForbiddenError(OAuthError error) : ErrorAnswer(error, StatusCodes.Status403Forbidden), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status403Forbidden);
}
