// A microservice behind the Tessera gateway. It trusts only the identity token in the Tessera-Identity header
// (audience: the internal services, keys: Tessera's JWKS) and, when it has a next service, calls it with the same
// identity token. Run twice by ../run.sh: "orders" (calls "inventory") and "inventory".
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Authorization;
using Tessera.AspNetCore.Forwarding;

var builder = WebApplication.CreateSlimBuilder(args);
var name = builder.Configuration["Service:Name"] ?? "service";
var next = builder.Configuration["Service:Next"];

builder.Services.AddAuthentication(TesseraDefaults.AuthenticationScheme).AddTessera(o =>
{
    // run.sh passes Tessera's address (samples/gateway/ports.env).
    o.Authority = builder.Configuration["Tessera:Authority"] ?? throw new InvalidOperationException("Tessera:Authority is required (--Tessera:Authority=http://127.0.0.1:PORT).");
    o.Audience = builder.Configuration["Tessera:Audience"] ?? "https://internal.example";
    o.RequireHttpsMetadata = false;                 // the sample's issuer is on loopback
    o.TokenHeader = TesseraDefaults.IdentityHeader; // only the gateway's identity token counts here
});
builder.Services.AddAuthorization();
// With a collector (OTEL_EXPORTER_OTLP_ENDPOINT), this service's spans — its request, its call to the next service and
// the library's introspection — join the caller's trace: ASP.NET Core reads the traceparent, HttpClient passes it on.
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? name))
        .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
        .UseOtlpExporter();
}
if (next is not null) builder.Services.AddHttpClient("next", c => c.BaseAddress = new Uri(next)).AddTesseraIdentityForwarding();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

// The ledger's balance needs the ledger scope and calls no one.
app.MapGet("/balance", (HttpContext context) => Describe(context, downstream: null)).RequireScope("ledger");

// Anything else needs the message scope; the orders service asks the inventory service on the caller's behalf.
app.MapGet("/{**path}", async (HttpContext context, IServiceProvider services) =>
{
    object? downstream = null;
    if (next is not null)
    {
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("next");
        using var response = await client.GetAsync("/stock", context.RequestAborted);
        downstream = new { status = (int)response.StatusCode, body = await response.Content.ReadFromJsonAsync<Dictionary<string, object?>>() };
    }
    return Describe(context, downstream);
}).RequireScope("message");

IResult Describe(HttpContext context, object? downstream) => Results.Json(new
{
    service = name,
    path = context.Request.Path.Value,
    sub = context.User.FindFirst("sub")?.Value,
    scope = context.User.FindFirst("scope")?.Value,
    client_id = context.User.FindFirst("client_id")?.Value,
    next = downstream,
});

app.Run();
