using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Tessera.Gateway.Tests.Infrastructure;

namespace Tessera.Gateway.Tests;

/// <summary>
/// Issue 18: one trace follows a caller through the gateway — its introspection of the caller's opaque token and its
/// token exchange at Tessera, the forwarded request to service A, and A's call to service B. Every hop is a real HTTP
/// request on 127.0.0.1, so each server span can only join the trace through the W3C traceparent it was sent.
/// Collected by OpenTelemetry's in-memory exporter, listening in this test process to every host of the chain.
/// </summary>
[Collection(nameof(ChainCollection))]
public sealed class TraceChainTests(ChainFixture chain)
{
    [Fact]
    public async Task A_callers_trace_runs_through_the_gateway_tessera_and_both_services()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        var token = await chain.TokenAsync("ledger");

        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        using var client = chain.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ledger/balance");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        caller.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        tracing.ForceFlush();

        List<Activity> trace;
        lock (spans) trace = [.. spans.Where(s => s.TraceId == caller.TraceId)];
        var gateway = ServerSpan(trace, chain.GatewayAddress, "/ledger/balance");
        var introspection = ServerSpan(trace, chain.Server.BaseAddress, "/connect/introspect");
        var exchange = ServerSpan(trace, chain.Server.BaseAddress, "/connect/token");
        var a = ServerSpan(trace, chain.A.BaseAddress, "/ledger/balance");
        var b = ServerSpan(trace, chain.B.BaseAddress, "/whoami");

        // Each server span's parent is a client span of the host that called it.
        Assert.Equal(gateway.SpanId, ParentOf(trace, introspection).ParentSpanId);
        Assert.Equal(gateway.SpanId, ParentOf(trace, exchange).ParentSpanId);
        Assert.Equal(gateway.SpanId, ParentOf(trace, a).ParentSpanId);
        Assert.Equal(a.SpanId, ParentOf(trace, b).ParentSpanId);
    }

    private static Activity ServerSpan(List<Activity> trace, Uri host, string path) =>
        Assert.Single(trace, s => s.Kind == ActivityKind.Server
            && Equals(s.GetTagItem("server.port"), host.Port)
            && Equals(s.GetTagItem("url.path"), path));

    private static Activity ParentOf(List<Activity> trace, Activity span) =>
        Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.SpanId == span.ParentSpanId);
}
