using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.Testing;

/// <summary>
/// A relying party's back-channel logout endpoint on 127.0.0.1 (Kestrel): records every POST by path — the form's
/// logout_token and the status it answered — and answers <see cref="Status"/> (200, or a failure a test sets).
/// </summary>
public sealed class LogoutListener : IAsyncDisposable
{
    public sealed record Received(string Path, string? LogoutToken, int AnsweredStatus, string? ContentType);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private LogoutListener(WebApplication app) => _app = app;

    /// <summary>What the next POST is answered with.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri UriFor(string path) => new(BaseAddress, path);

    public static async Task<LogoutListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new LogoutListener(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            var status = listener.Status;
            listener._received.Enqueue(new Received(context.Request.Path, form?["logout_token"], status, context.Request.ContentType));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        listener.BaseAddress = new Uri(app.Urls.Single());
        return listener;
    }

    /// <summary>The POSTs to <paramref name="path"/> so far.</summary>
    public IReadOnlyList<Received> At(string path) => [.. _received.Where(r => r.Path == path)];

    /// <summary>Waits (at most <paramref name="seconds"/>) for a POST to <paramref name="path"/> answered 2xx; returns it.</summary>
    public async Task<Received> WaitForDeliveryAsync(string path, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (At(path).FirstOrDefault(r => r.AnsweredStatus is >= 200 and < 300) is { } delivered) return delivered;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no logout token was delivered to {path} within {seconds} s ({At(path).Count} attempts)");
    }

    /// <summary>Waits (at most 20 s) until <paramref name="path"/> has had <paramref name="count"/> POSTs, answered or not.</summary>
    public async Task WaitForAttemptsAsync(string path, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (At(path).Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{path} had {At(path).Count} attempts, not {count}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
