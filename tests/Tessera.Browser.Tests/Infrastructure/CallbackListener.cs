using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>
/// The client's redirect target: a tiny Kestrel app on 127.0.0.1 (a port of its own) that records every request to
/// <c>/callback</c> and answers with a plain page, as a web client's callback would before it redeems the code.
/// </summary>
public sealed class CallbackListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Uri> _received = new();

    private CallbackListener(WebApplication app, Uri redirectUri)
    {
        _app = app;
        RedirectUri = redirectUri;
    }

    /// <summary>The redirect URI to register for the client: http://127.0.0.1:{port}/callback.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Every callback request received, in order, with its query.</summary>
    public IReadOnlyCollection<Uri> Received => _received;

    public static async Task<CallbackListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CallbackListener? listener = null;
        app.MapGet("/callback", (HttpRequest request) =>
        {
            listener!._received.Enqueue(new Uri(request.GetEncodedUrl()));
            return Results.Content("<!DOCTYPE html><title>Callback</title><p id=\"received\">callback received</p>", "text/html");
        });
        await app.StartAsync();
        // Port 0 asks Kestrel for a free port; Urls reports the one it bound.
        var address = new Uri(app.Urls.Single());
        listener = new CallbackListener(app, new Uri(address, "/callback"));
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
