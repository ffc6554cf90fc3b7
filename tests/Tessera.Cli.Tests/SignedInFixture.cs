using Tessera.Cli.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>A server and a CLI signed in to it by the device flow, approved in Chromium (once per test class).</summary>
public sealed class SignedInFixture : IAsyncLifetime
{
    private readonly CliServerFixture _server = new();

    public TesseraServer Server => _server.Server;
    public TesseraCli Cli { get; } = new();
    public CliResult Login { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        Login = await DeviceLoginInChromium.RunAsync(Cli, Server.Issuer);
    }

    public async Task DisposeAsync()
    {
        Cli.Dispose();
        await _server.DisposeAsync();
    }
}
