using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Tessera.Server.Vocabulary;

/// <summary>A protocol request's form body, read once, size-limited, with repeated parameters refused.</summary>
public sealed class ProtocolForm
{
    // RFC 8707 §2 and RFC 8693 §2.1 allow these to repeat; everything else may appear once (RFC 6749 §3.1).
    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { Parameters.Resource, Parameters.Audience };

    private readonly IFormCollection _form;

    private ProtocolForm(IFormCollection form) => _form = form;

    /// <summary>The single value of a parameter; an empty value counts as absent (RFC 6749 §3.1).</summary>
    public string? this[string name]
    {
        get
        {
            var value = _form[name];
            return value.Count == 0 || string.IsNullOrEmpty(value[0]) ? null : value[0];
        }
    }

    public StringValues All(string name) => _form[name];

    /// <summary>Every parameter as sent, for passing the whole request on (the authorize endpoint's POST → GET).</summary>
    public IEnumerable<KeyValuePair<string, StringValues>> Sent => _form;

    public static async Task<Outcome<ProtocolForm>> ReadAsync(HttpRequest request, int maxBytes)
    {
        // RFC 6749 §3.2: the token endpoint takes application/x-www-form-urlencoded (likewise RFC 7009, RFC 7662).
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            return OAuthError.InvalidRequest("the request body must be application/x-www-form-urlencoded");

        var sizeLimit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = maxBytes;
        if (request.ContentLength > maxBytes)
            return new OAuthError("invalid_request", "the request body is too large", StatusCodes.Status413PayloadTooLarge);

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without Content-Length that outgrows the limit while it is read.
            return new OAuthError("invalid_request", "the request body is too large", StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            // The form reader's own limits (key and value lengths, counts) and encoding errors: a malformed request (RFC 6749 §5.2).
            return OAuthError.InvalidRequest("the request body is not a well-formed form");
        }

        foreach (var (name, values) in form)
        {
            // RFC 6749 Appendix A: no parameter name or value allows a control character (a tab aside, in passwords).
            if (HasControlCharacter(name) || values.Any(HasControlCharacter))
                return OAuthError.InvalidRequest("a parameter contains a control character");
            if (values.Count > 1 && !Repeatable.Contains(name))
                return OAuthError.InvalidRequest($"the '{name}' parameter must not be repeated");
        }
        return new ProtocolForm(form);
    }

    private static bool HasControlCharacter(string? value) => value is not null && value.Any(c => (c < 0x20 && c != '\t') || c == 0x7F);
}
