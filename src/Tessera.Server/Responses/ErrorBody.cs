using System.Text.Json.Serialization;

namespace Tessera.Server.Responses;

/// <summary>
/// The JSON of an error answer (RFC 6749 §5.2's shape), as the OpenAPI description shows it; <see cref="ProtocolResults"/>
/// writes it. <c>problems</c> lists every problem of an admin change that failed validation.
/// </summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("problems"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Problems);
