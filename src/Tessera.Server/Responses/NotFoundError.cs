using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Responses;

/// <summary>404 not_found: a name or id the API does not know (or, for another user's, may not tell about).</summary>
public sealed class NotFoundError(OAuthError error) : ErrorAnswer(error, StatusCodes.Status404NotFound), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status404NotFound);
}
