// The two baselines of the gateway rows in bench/run.sh, one binary:
//   upstream --port P              a fixed 200-byte JSON answer to any GET (the service behind every proxy row)
//   yarp --port P --upstream URL   plain YARP forwarding everything to the upstream, no authentication
// Both bind 127.0.0.1 only and log at Warning, like every other bench process.
using System.Text;
using Yarp.ReverseProxy.Configuration;

var mode = args.FirstOrDefault() ?? "";
var builder = WebApplication.CreateSlimBuilder(args.Skip(1).ToArray());
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var port = builder.Configuration["port"] ?? throw new ArgumentException("--port is required");
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

switch (mode)
{
    case "upstream":
    {
        var app = builder.Build();
        var body = Encoding.UTF8.GetBytes("{\"service\":\"upstream\",\"ok\":true,\"padding\":\"" + new string('x', 200 - 45) + "\"}");
        app.MapGet("/{**path}", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        await app.RunAsync();
        return 0;
    }
    case "yarp":
    {
        var upstream = builder.Configuration["upstream"] ?? throw new ArgumentException("--upstream is required");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["u"] = new() { Address = upstream } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.RunAsync();
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: Tessera.Bench.Proxy upstream --port P | yarp --port P --upstream URL");
        return 2;
}
