using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>RFC 6749 §2.1: a public client is identified by client_id alone, and only where a grant allows it.</summary>
public abstract class PublicClientAuthenticationTests(TesseraServer server) : ServerTest(server)
{
    [Fact]
    public async Task A_public_client_cannot_get_a_token_with_client_credentials()
    {
        var response = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "client_credentials"), ("client_id", PeopleImport.Spa), ("scope", "message"));

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }

    [Fact]
    public async Task A_public_client_cannot_introspect_tokens()
    {
        var response = await Protocol.PostAsync("/connect/introspect", null, ("client_id", PeopleImport.Spa), ("token", "x"));

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }

    [Fact]
    public async Task A_confidential_client_sending_only_its_client_id_is_not_authenticated()
    {
        var response = await Protocol.PostAsync("/connect/token", null,
            ("grant_type", "authorization_code"), ("client_id", PeopleImport.Web), ("code", "x"), ("redirect_uri", PeopleImport.WebRedirect));

        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_client", response.Error);
    }
}

[Collection(SqlitePeopleCollection.Name)]
public sealed class PublicClientAuthenticationTests_Sqlite(SqlitePeopleFixture f) : PublicClientAuthenticationTests(f.Server);

[Collection(PostgresPeopleCollection.Name)]
public sealed class PublicClientAuthenticationTests_Postgres(PostgresPeopleFixture f) : PublicClientAuthenticationTests(f.Server);
