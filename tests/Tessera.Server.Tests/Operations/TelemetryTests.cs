using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Issue 18's OpenTelemetry: a token request is one trace from Kestrel through client authentication, the grant,
/// signing and storage, and the <c>tessera.*</c> instruments count what happened — read through OpenTelemetry's
/// in-memory exporter beside the configured (unreachable) OTLP collector, as an operator's collector would see them.
/// Servers in one test process share the meter's name, so the counts are read for this test's own client only.
/// </summary>
public abstract class TelemetryTests(DatabaseKind kind)
{
    private readonly string _client = "telemetry-" + Guid.NewGuid().ToString("n")[..8];
    private const string Secret = "telemetry-secret-0123456789-abcdef";
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];

    private Task<TesseraServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var import = TestClients.StandardImport();
        import["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = _client, ["clientSecret"] = Secret, ["grantTypes"] = new JsonArray("client_credentials"),
            ["scopes"] = new JsonArray("message", "ledger"), ["introspects"] = new JsonArray("ledger"),
        });
        // A collector nobody listens on: telemetry is on as configured, and the exporter's failures stay in the background.
        var all = new Dictionary<string, string?> { ["Tessera:Telemetry:Otlp"] = "http://127.0.0.1:9" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return TesseraServer.StartAsync(kind, import, all, (WebApplicationBuilder builder) =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        });
    }

    [Fact]
    public async Task A_token_request_is_one_trace_through_client_authentication_the_grant_signing_and_storage()
    {
        // The test is the trusted caller whose sampled trace the server follows.
        await using var server = await StartAsync(new Dictionary<string, string?> { ["Tessera:Telemetry:FollowCallerSampling"] = "true" });
        var protocol = new ProtocolClient(server.CreateClient());

        // The caller's trace, sampled (traceparent flag 01): the server follows its decision.
        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(_client, Secret, "message")).Status);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(_client, Secret, "ledger")).Status);
        caller.Stop();

        var trace = Spans(caller.TraceId);
        var requests = trace.Where(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/connect/token", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, requests.Count);
        foreach (var request in requests)
        {
            var authentication = Assert.Single(trace, s => s.DisplayName == "client authentication" && s.ParentSpanId == request.SpanId);
            var grant = Assert.Single(trace, s => s.DisplayName == "grant" && s.ParentSpanId == request.SpanId);
            Assert.Equal("client_credentials", grant.GetTagItem("oauth.grant_type"));
            Assert.Equal(_client, grant.GetTagItem("oauth.client_id"));
            Assert.True(authentication.StartTimeUtc <= grant.StartTimeUtc);
        }
        var signing = Assert.Single(trace, s => s.DisplayName == "sign access token");
        Assert.Equal("RS256", signing.GetTagItem("tessera.signing_alg"));
        var storing = Assert.Single(trace, s => s.DisplayName == "store opaque token");
        Assert.Contains(trace, s => s.DisplayName == "grant" && s.SpanId == storing.ParentSpanId);
        Assert.Contains(trace, s => s.DisplayName == "grant" && s.SpanId == signing.ParentSpanId);

        // The INSERT serves a batch of requests: its span is a child of the first request's storing span, linked to the others.
        var insert = await EventuallyAsync(() => Snapshot().FirstOrDefault(s => s.DisplayName == "insert opaque tokens"
            && (s.ParentSpanId == storing.SpanId || s.Links.Any(l => l.Context.TraceId == caller.TraceId && l.Context.SpanId == storing.SpanId))));
        // Npgsql's span sits under the batch's, directly or under EF Core's own span of the statement (the EF Core
        // instrumentation adds one when it sees the command first).
        if (kind == DatabaseKind.Postgres)
            await EventuallyAsync(() => Snapshot().FirstOrDefault(s => s.Source.Name == "Npgsql" && (s.ParentSpanId == insert.SpanId
                || Snapshot().Any(ef => ef.SpanId == s.ParentSpanId && ef.ParentSpanId == insert.SpanId))));
    }

    [Fact]
    public async Task A_callers_sampled_flag_is_not_followed_unless_the_callers_are_trusted()
    {
        // Anyone can send "sampled": with the ratio at 0 and callers not trusted, nothing of the request is recorded.
        await using var server = await StartAsync(new Dictionary<string, string?> { ["Tessera:Telemetry:TraceSampleRatio"] = "0" });
        var protocol = new ProtocolClient(server.CreateClient());

        using var caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(_client, Secret, "message")).Status);
        caller.Stop();

        Assert.DoesNotContain(Spans(caller.TraceId), s => s.Kind == ActivityKind.Server || s.Source.Name == "Tessera");
        // The client's own span is the test's, not the server's: the request did go out in the caller's trace.
        Assert.Contains(Spans(caller.TraceId), s => s.Kind == ActivityKind.Client);
    }

    [Fact]
    public async Task The_tessera_instruments_count_tokens_errors_introspections_and_revocations()
    {
        await using var server = await StartAsync();
        var protocol = new ProtocolClient(server.CreateClient());

        Assert.Equal(200, (await protocol.ClientCredentialsAsync(_client, Secret, "message")).Status);
        Assert.Equal(200, (await protocol.ClientCredentialsAsync(_client, Secret, "message")).Status);
        var opaque = (await protocol.ClientCredentialsAsync(_client, Secret, "ledger")).AccessToken;
        Assert.Equal("invalid_scope", (await protocol.ClientCredentialsAsync(_client, Secret, "ec")).Error);
        Assert.True((await protocol.IntrospectAsync(_client, Secret, opaque)).Active);
        Assert.False((await protocol.IntrospectAsync(_client, Secret, "not-a-token")).Active);
        Assert.Equal(200, (await protocol.RevokeAsync(_client, Secret, opaque)).Status);

        Flush(server);
        Assert.Equal(2, Sum("tessera.tokens.issued", ("client_id", _client), ("token_format", "jwt"), ("signing_alg", "RS256"), ("grant_type", "client_credentials")));
        Assert.Equal(1, Sum("tessera.tokens.issued", ("client_id", _client), ("token_format", "opaque")));
        Assert.Equal(0, Sum("tessera.tokens.issued", ("client_id", _client), ("token_format", "opaque"), ("signing_alg", "RS256")));
        // Counters without a client tag count every server of this test process: at least this test's own.
        Assert.True(Sum("tessera.token.errors", ("error", "invalid_scope"), ("grant_type", "client_credentials")) >= 1);
        Assert.True(Sum("tessera.introspections", ("active", true)) >= 1);
        Assert.True(Sum("tessera.introspections", ("active", false)) >= 1);
        Assert.True(Sum("tessera.revocations", ("token_type", "access_token")) >= 1);
        Assert.True(Sum("tessera.introspection.cache.lookups") >= 1);

        // The gauges: the current RS256 key's age, and the sessions counted at start.
        Assert.True(Gauge("tessera.keys.age", ("signing_alg", "RS256")) >= 0);
        await EventuallyAsync(() => { Flush(server); return Metric("tessera.sessions.active"); });
    }

    [Fact]
    public async Task A_refused_client_is_not_a_tag_and_an_unknown_grant_type_is_not_one_either()
    {
        await using var server = await StartAsync();
        var protocol = new ProtocolClient(server.CreateClient());

        Assert.Equal("invalid_client", (await protocol.ClientCredentialsAsync(_client, "wrong-secret-0123456789-abcdefgh", "message")).Error);
        Assert.Equal("unsupported_grant_type", (await protocol.TokenAsync(_client, Secret, ("grant_type", "urn:made-up:" + _client))).Error);

        Flush(server);
        var points = Points("tessera.token.errors").Select(TagsOf).ToList();
        Assert.DoesNotContain(points, tags => tags.Values.Any(v => v is string text && text.Contains(_client, StringComparison.Ordinal)));
        Assert.Contains(points, tags => Equals(tags.GetValueOrDefault("error"), "unsupported_grant_type") && !tags.ContainsKey("grant_type"));
    }

    [Fact]
    public async Task Without_an_exporter_nothing_is_collected()
    {
        await using var server = await TesseraServer.StartAsync(kind, TestClients.StandardImport());

        Assert.Null(server.Services.GetService<TracerProvider>());
        Assert.Null(server.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task The_prometheus_endpoint_answers_its_networks_and_is_not_found_elsewhere()
    {
        await using (var open = await StartAsync(new Dictionary<string, string?> { ["Tessera:Telemetry:Prometheus"] = "true" }))
        {
            using var http = open.CreateClient();
            Assert.Equal(200, (await new ProtocolClient(open.CreateClient()).ClientCredentialsAsync(_client, Secret, "message")).Status);
            using var scrape = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            var text = await scrape.Content.ReadAsStringAsync();
            Assert.Contains("tessera_tokens_issued", text, StringComparison.Ordinal);
            Assert.Contains("tessera_keys_age", text, StringComparison.Ordinal);
            // Through a proxy whose forwarded headers are not configured, the address is the proxy's (loopback): refused.
            using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            proxied.Headers.Add("X-Forwarded-For", "203.0.113.9");
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(proxied)).StatusCode);
        }

        await using var closed = await StartAsync(new Dictionary<string, string?>
        {
            ["Tessera:Telemetry:Prometheus"] = "true",
            ["Tessera:Telemetry:PrometheusNetworks:0"] = "10.0.0.0/8",
        });
        using var refused = await closed.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.DoesNotContain("tessera_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_by_default_the_metrics_path_is_not_found()
    {
        await using var server = await StartAsync();
        using var response = await server.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private List<Activity> Snapshot()
    {
        lock (_spans) return [.. _spans];
    }

    private List<Activity> Spans(ActivityTraceId traceId) => Snapshot().Where(s => s.TraceId == traceId).ToList();

    /// <summary>Exports now; the result is not checked, since the unreachable OTLP collector's export fails by design.</summary>
    private static void Flush(TesseraServer server) => server.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);

    /// <summary>The newest export of an instrument (cumulative: it holds every count so far).</summary>
    private Metric? Metric(string name)
    {
        lock (_metrics) return _metrics.LastOrDefault(m => m.Name == name);
    }

    private IEnumerable<MetricPoint> Points(string name)
    {
        var metric = Metric(name) ?? throw new Xunit.Sdk.XunitException($"no export of {name}");
        foreach (ref readonly var point in metric.GetMetricPoints()) yield return point;
    }

    private long Sum(string name, params (string Key, object? Value)[] tags) =>
        Points(name).Where(p => Has(p, tags)).Sum(p => p.GetSumLong());

    private long Gauge(string name, params (string Key, object? Value)[] tags) =>
        Points(name).Where(p => Has(p, tags)).Select(p => p.GetGaugeLastValueLong()).DefaultIfEmpty(-1).Max();

    private static Dictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
        return tags;
    }

    private static bool Has(MetricPoint point, (string Key, object? Value)[] wanted)
    {
        var tags = TagsOf(point);
        return wanted.All(w => tags.TryGetValue(w.Key, out var value) && Equals(value, w.Value));
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe) where T : class
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("not seen within 10 s");
    }
}

// One collection: an OpenTelemetry listener hears every host of the process, so a server that follows callers' sampling
// would record another test's server spans; the two suites take turns instead of running side by side.
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests_Sqlite() : TelemetryTests(DatabaseKind.Sqlite);

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests_Postgres() : TelemetryTests(DatabaseKind.Postgres);

[CollectionDefinition(Name)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}
