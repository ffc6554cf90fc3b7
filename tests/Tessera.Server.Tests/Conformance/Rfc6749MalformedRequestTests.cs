using System.Net.Http.Headers;
using System.Text;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Server.Tests.Infrastructure.TestClients;

namespace Tessera.Server.Tests.Conformance;

/// <summary>RFC 6749 §5.2 and Appendix A: a malformed request body is invalid_request (400), and errors never echo input at length.</summary>
public abstract class Rfc6749MalformedRequestTests(TesseraServer server) : ServerTest(server)
{
    [Theory]
    [InlineData("grant_type=client_credentials%00&scope=message", "a percent-encoded NUL")]
    [InlineData("grant_type=client_credentials\0&scope=message", "a raw NUL byte")]
    [InlineData("grant_type=client_credentials&scope=mess%01age", "a control character in another parameter")]
    [InlineData("grant_type=client_credentials&scope=message&%ZZ%FF=x\0y", "invalid percent-encoding and a NUL in a name")]
    public async Task A_form_with_a_control_character_is_invalid_request_not_413(string body, string reason)
    {
        var response = await PostRawAsync(body);

        Assert.True(response.Status == 400, $"{reason}: {response.Status} {response.Error}");
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task A_parameter_name_beyond_the_form_readers_limits_is_invalid_request_not_413()
    {
        // Well under the body size limit, but a key longer than the form reader accepts: malformed, not too large.
        var response = await PostRawAsync("grant_type=client_credentials&" + new string('k', 3000) + "=1");

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_still_413()
    {
        var response = await PostRawAsync("grant_type=client_credentials&scope=" + new string('m', 70 * 1024));

        Assert.Equal(413, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task An_error_description_never_echoes_a_long_input_whole()
    {
        var scope = "message " + new string('x', 60 * 1024 - 100);

        var response = await Protocol.ClientCredentialsAsync(Service, ServiceSecret, scope);

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_scope", response.Error);
        Assert.InRange(response.ErrorDescription!.Length, 1, 300);
    }

    private async Task<ProtocolResponse> PostRawAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Authorization = ProtocolClient.Basic(Service, ServiceSecret);
        return await Protocol.SendAsync(request);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class Rfc6749MalformedRequestTests_Sqlite(SqliteServerFixture f) : Rfc6749MalformedRequestTests(f.Server);

[Collection(PostgresCollection.Name)]
public sealed class Rfc6749MalformedRequestTests_Postgres(PostgresServerFixture f) : Rfc6749MalformedRequestTests(f.Server);
