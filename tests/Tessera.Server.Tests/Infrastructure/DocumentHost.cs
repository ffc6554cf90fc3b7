using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Testing;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// A real HTTPS server on 127.0.0.1 (as https://localhost:port) playing the client's web site: it serves client ID
/// metadata documents and key sets as the test sets them, and counts how often each path is fetched. Its certificate
/// is made for this run and written as a PEM root the Tessera server under test is told to trust.
/// </summary>
public sealed class DocumentHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Answer> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    /// <summary>What a path answers: a status, a body, headers, and how long to wait first.</summary>
    public sealed record Answer(int Status, string Body, IReadOnlyDictionary<string, string> Headers, TimeSpan Delay);

    private DocumentHost(WebApplication app, int port, string rootPemPath)
    {
        _app = app;
        Port = port;
        RootPemPath = rootPemPath;
    }

    public int Port { get; }

    /// <summary>The self-signed certificate as PEM: Tessera:ClientIdMetadataDocuments:TrustedRootCertificates names it.</summary>
    public string RootPemPath { get; }

    public string Url(string path) => $"https://localhost:{Port}{path}";

    public static async Task<DocumentHost> StartAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Kestrel on Linux needs the key in an exportable PKCS#12 form, not the ephemeral one CreateSelfSigned leaves.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var rootPemPath = Path.Combine(Path.GetTempPath(), $"tessera-documents-{Guid.NewGuid():n}.pem");
        await File.WriteAllTextAsync(rootPemPath, certificate.ExportCertificatePem());

        var port = TesseraServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var host = new DocumentHost(app, port, rootPemPath);
        app.Run(host.ServeAsync);
        await app.StartAsync();
        return host;
    }

    /// <summary>Serves <paramref name="json"/> at <paramref name="path"/> (replacing what was there), with a Cache-Control if given.</summary>
    public void Serve(string path, string json, string? cacheControl = null, int status = 200, TimeSpan delay = default,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { ["Content-Type"] = "application/json" };
        if (cacheControl is not null) all["Cache-Control"] = cacheControl;
        _answers[path] = new Answer(status, json, all, delay);
    }

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (!_answers.TryGetValue(path, out var answer))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay, context.RequestAborted);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(RootPemPath);
    }
}
