using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Tessera.Server.Configuration;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Registration.MetadataDocuments;

/// <summary>
/// Fetches a document from a URL a stranger named (a client ID metadata document, a client's jwks_uri) without letting
/// the stranger aim this server at anything but the public internet: https only; every address the host resolves to is
/// checked and the connection goes to a checked address (no second lookup to rebind); no redirects, proxies or cookies;
/// the platform's TLS validation (plus any configured roots); a size and a time limit.
/// </summary>
internal sealed class DocumentFetcher(IHttpClientFactory clients, IOptions<TesseraOptions> options)
{
    public const string HttpClientName = "tessera-documents";

    /// <summary>The body and how long it may be kept (its Cache-Control or Expires, within the configured bounds).</summary>
    public sealed record Fetched(byte[] Body, TimeSpan Lifetime);

    public async Task<Outcome<Fetched>> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var settings = options.Value.ClientIdMetadataDocuments;
        if (url.Scheme != Uri.UriSchemeHttps) return Refused("it is not an https URL");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.FetchTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // A redirect is refused like any other non-200 answer: following it would fetch from a URL nobody checked.
            if (response.StatusCode != HttpStatusCode.OK) return Refused($"it answered {(int)response.StatusCode}, not 200");
            if (response.Content.Headers.ContentLength > settings.MaxDocumentBytes) return Refused($"it is larger than {settings.MaxDocumentBytes} bytes");

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[settings.MaxDocumentBytes + 1];
            var read = 0;
            int last;
            while (read < buffer.Length && (last = await body.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0) read += last;
            if (read > settings.MaxDocumentBytes) return Refused($"it is larger than {settings.MaxDocumentBytes} bytes");
            return new Fetched(buffer[..read], LifetimeOf(response, settings));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused($"it did not answer within {settings.FetchTimeout.TotalSeconds:0.#} seconds");
        }
        catch (HttpRequestException e)
        {
            return Refused(e.InnerException is RefusedAddressException refused ? refused.Message : "the connection or TLS handshake failed");
        }
    }

    /// <summary>How every failure to fetch (rather than a document read and found wrong) begins.</summary>
    public const string FetchFailed = "the document could not be fetched: ";

    private static OAuthError Refused(string reason) => OAuthError.InvalidClient(FetchFailed + reason, usedBasic: false);

    /// <summary>RFC 9111 §5.2.2 and §5.3: max-age, else Expires; no-store and no-cache keep it for the shortest time allowed.</summary>
    private static TimeSpan LifetimeOf(HttpResponseMessage response, ClientIdMetadataDocumentOptions settings)
    {
        var cacheControl = response.Headers.CacheControl;
        TimeSpan? said = cacheControl is { NoStore: true } or { NoCache: true } ? TimeSpan.Zero
            : cacheControl?.MaxAge ?? (response.Content.Headers.Expires is { } expires ? expires - (response.Headers.Date ?? DateTimeOffset.UtcNow) : null);
        var lifetime = said ?? settings.DefaultCacheLifetime;
        return lifetime < settings.MinCacheLifetime ? settings.MinCacheLifetime : lifetime > settings.MaxCacheLifetime ? settings.MaxCacheLifetime : lifetime;
    }

    /// <summary>The handler every fetch goes through (registered for <see cref="HttpClientName"/>).</summary>
    public static SocketsHttpHandler CreateHandler(ClientIdMetadataDocumentOptions settings)
    {
        var roots = new X509Certificate2Collection();
        foreach (var path in settings.TrustedRootCertificates) roots.ImportFromPemFile(path);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // A proxy would connect on our behalf to an address this handler never checked.
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = settings.FetchTimeout,
            MaxResponseHeadersLength = 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, settings.AllowPrivateNetworks, cancellationToken),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = roots.Count == 0 ? null : (_, certificate, _, errors) => TrustedBy(roots, certificate, errors),
            },
        };
    }

    /// <summary>Resolves once, refuses every address that is not public, and connects to the first checked one that answers.</summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivateNetworks || PublicAddresses.IsPublic(a)).ToList();
        if (allowed.Count == 0 || allowed.Count < addresses.Length && !allowPrivateNetworks) throw new RefusedAddressException(endPoint.Host);
        SocketException? lastFailure = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastFailure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastFailure!;
    }

    /// <summary>The platform's verdict, or — for a chain it does not know — a chain to a configured root; a wrong host name never passes.</summary>
    private static bool TrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        // A private PKI seldom publishes revocation lists; the operator vouched for these roots by configuring them.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
