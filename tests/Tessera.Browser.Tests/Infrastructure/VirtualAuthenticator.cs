using System.Text.Json;
using Microsoft.Playwright;

namespace Tessera.Browser.Tests.Infrastructure;

/// <summary>
/// A platform authenticator inside Chromium, through the DevTools protocol's WebAuthn domain: it makes and keeps
/// discoverable credentials, verifies the "user" at once (as a fingerprint would) and answers without a click.
/// </summary>
public sealed class VirtualAuthenticator
{
    private readonly ICDPSession _session;

    private VirtualAuthenticator(ICDPSession session, string id)
    {
        _session = session;
        Id = id;
    }

    public string Id { get; }

    public static async Task<VirtualAuthenticator> AddAsync(IPage page)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("WebAuthn.enable");
        var added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>The credentials the authenticator holds (id, rpId, userHandle, signCount …).</summary>
    public async Task<IReadOnlyList<JsonElement>> CredentialsAsync()
    {
        var result = await _session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = Id });
        return [.. result!.Value.GetProperty("credentials").EnumerateArray()];
    }
}
