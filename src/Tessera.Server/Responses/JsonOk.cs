using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Tessera.Server.Responses;

/// <summary>200 with a JSON body of <typeparamref name="T"/>; the status and the type are in the endpoint's OpenAPI description.</summary>
public sealed class JsonOk<T>(T value, JsonSerializerOptions? options = null) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public T Value { get; } = value;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext) =>
        ProtocolResults.WriteJsonAsync(httpContext, Value, options ?? ProtocolResults.ApiJson, StatusCodes.Status200OK);

    // Implemented explicitly, as ASP.NET Core's own Ok<T> does: the framework calls it through the interface, and a public
    // static on a generic type would be CA1000's JsonOk<X>.PopulateMetadata.
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
