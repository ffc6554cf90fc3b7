using System.Text.Json;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Responses;

/// <summary>Writes protocol responses: JSON, and never cached when they carry tokens or token state.</summary>
public static class ProtocolResults
{
    public static IResult Error(OAuthError error) => new ErrorResult(error);

    public static IResult Token(TokenResponse response) => new JsonBodyResult(json =>
    {
        // RFC 6749 §5.1: access_token, token_type, expires_in, and scope.
        json.WriteString("access_token", response.AccessToken);
        if (response.IssuedTokenType is not null) json.WriteString(Parameters.IssuedTokenType, response.IssuedTokenType);
        json.WriteString("token_type", response.TokenType);
        json.WriteNumber("expires_in", response.ExpiresIn);
        json.WriteString("scope", response.Scope);
        if (response.RefreshToken is not null) json.WriteString("refresh_token", response.RefreshToken);
        if (response.IdToken is not null) json.WriteString("id_token", response.IdToken);
    });

    public static IResult Json(Action<Utf8JsonWriter> writeMembers, int statusCode = StatusCodes.Status200OK) =>
        new JsonBodyResult(writeMembers, statusCode);

    /// <summary>Names from [JsonPropertyName] or camelCase, nulls written: the built-in APIs' bodies (the admin catalog has its own).</summary>
    public static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web);

    /// <summary>A typed body (<see cref="JsonOk{T}"/>, <see cref="JsonCreated{T}"/>), never cached like every other answer here.</summary>
    public static async Task WriteJsonAsync<T>(HttpContext httpContext, T value, JsonSerializerOptions options, int statusCode)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        NoStore(response);
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, value, options, httpContext.RequestAborted);
    }

    /// <summary>RFC 6749 §5.1/§5.2: responses with tokens or errors carry Cache-Control: no-store.</summary>
    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    private sealed class JsonBodyResult(Action<Utf8JsonWriter> writeMembers, int statusCode = StatusCodes.Status200OK) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            NoStore(response);
            response.ContentType = "application/json; charset=utf-8";
            await using var json = new Utf8JsonWriter(response.BodyWriter);
            json.WriteStartObject();
            writeMembers(json);
            json.WriteEndObject();
            await json.FlushAsync();
        }
    }

    private sealed class ErrorResult(OAuthError error) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = error.StatusCode;
            if (error.WwwAuthenticate is not null) response.Headers.WWWAuthenticate = error.WwwAuthenticate;
            NoStore(response);
            response.ContentType = "application/json; charset=utf-8";
            await using var json = new Utf8JsonWriter(response.BodyWriter);
            json.WriteStartObject();
            json.WriteString("error", error.Error);
            json.WriteString("error_description", error.Description);
            json.WriteEndObject();
            await json.FlushAsync();
        }
    }
}
