namespace Tessera.Server.Storage.Clients;

/// <summary>Where a client came from (<see cref="Client.Origin"/>).</summary>
public static class ClientOrigins
{
    /// <summary>RFC 7591: the client registered itself at /connect/register.</summary>
    public const string Dynamic = "dynamic";
}
