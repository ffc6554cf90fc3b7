using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Responses;

/// <summary>400: invalid_request (or invalid_scope); with <c>problems</c>, every problem of an admin change that failed validation.</summary>
public sealed class BadRequestError(OAuthError error, IReadOnlyList<string>? problems = null)
    : ErrorAnswer(error, StatusCodes.Status400BadRequest), IEndpointMetadataProvider
{
    public IReadOnlyList<string>? Problems { get; } = problems;

    public override Task ExecuteAsync(HttpContext httpContext) => Problems is null
        ? base.ExecuteAsync(httpContext)
        : ProtocolResults.Json(json =>
        {
            json.WriteString("error", Error.Error);
            json.WriteString("error_description", Error.Description);
            json.WriteStartArray("problems");
            foreach (var problem in Problems) json.WriteStringValue(problem);
            json.WriteEndArray();
        }, StatusCodes.Status400BadRequest).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status400BadRequest);
}
