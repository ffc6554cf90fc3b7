using System.Diagnostics;

namespace Tessera.Server.Telemetry;

/// <summary>
/// The server's own spans inside a request: client authentication, the grant, signing. Kestrel's, EF Core's, Npgsql's
/// and HttpClient's spans come from their instrumentations. Without a listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null after one check, so an untraced server pays nothing.
/// </summary>
public static class TesseraTracing
{
    public const string SourceName = "Tessera";

    public static readonly ActivitySource Source = new(SourceName);
}
