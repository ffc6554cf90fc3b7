using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// Base of the tests that run against the shared server. Each suite is an abstract class deriving from this one,
/// with one sealed subclass per database in its collection, so the same tests run on SQLite and on PostgreSQL.
/// </summary>
public abstract class ServerTest(TesseraServer server) : IDisposable
{
    private readonly HttpClient _http = server.CreateClient();

    protected TesseraServer Server { get; } = server;
    protected ProtocolClient Protocol => new(_http);
    protected HttpClient Http => _http;

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}
