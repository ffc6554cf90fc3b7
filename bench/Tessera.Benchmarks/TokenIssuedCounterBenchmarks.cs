using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Telemetry;

namespace Tessera.Benchmarks;

/// <summary>
/// Issue 20: what the console's per-minute token count costs each issued token. Without a listener the counter is one
/// check (<c>Enabled</c> is false); with <see cref="RecentTokenIssuance"/> listening it builds its tags and calls the
/// listener's callback, which adds to the current minute.
/// </summary>
[MemoryDiagnoser]
public class TokenIssuedCounterBenchmarks
{
    private ServiceProvider _services = null!;
    private TesseraMetrics _metrics = null!;

    [Params(false, true)]
    public bool ConsoleListening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddMetrics().AddSingleton(TimeProvider.System).AddSingleton<TesseraMetrics>().AddSingleton<RecentTokenIssuance>();
        _services = services.BuildServiceProvider();
        _metrics = _services.GetRequiredService<TesseraMetrics>();
        if (ConsoleListening) _services.GetRequiredService<RecentTokenIssuance>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public void TokenIssued() => _metrics.TokenIssued("client_credentials", "bench", "jwt", "ES256");
}
