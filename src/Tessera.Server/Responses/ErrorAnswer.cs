using Tessera.Server.Vocabulary;

namespace Tessera.Server.Responses;

/// <summary>
/// An error answer whose status is part of its type (<see cref="BadRequestError"/>, <see cref="ForbiddenError"/>,
/// <see cref="NotFoundError"/>), so an endpoint's <c>Results&lt;…&gt;</c> tells OpenAPI every status it can answer.
/// The error must carry that status: a mismatch is a programming error, found at the first request that makes it.
/// </summary>
public abstract class ErrorAnswer : IResult, IStatusCodeHttpResult
{
    protected ErrorAnswer(OAuthError error, int statusCode)
    {
        if (error.StatusCode != statusCode)
            throw new ArgumentException($"a {error.Error} error answers {error.StatusCode}, not {statusCode}", nameof(error));
        Error = error;
    }

    public OAuthError Error { get; }

    public int? StatusCode => Error.StatusCode;

    public virtual Task ExecuteAsync(HttpContext httpContext) => ProtocolResults.Error(Error).ExecuteAsync(httpContext);

    protected static void Describe(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(ErrorBody), ["application/json"]));
}
