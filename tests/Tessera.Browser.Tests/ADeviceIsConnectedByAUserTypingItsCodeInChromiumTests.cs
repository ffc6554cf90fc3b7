using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;
using Tessera.Browser.Tests.Infrastructure;
using Tessera.Testing;
using static Tessera.Browser.Tests.Infrastructure.JourneyFixture;

namespace Tessera.Browser.Tests;

/// <summary>
/// The device authorization grant (RFC 8628) with a person on the other side: the test is the device — it asks for a
/// code and polls — while a real Chromium signs in, opens the verification URI, types the user code and allows access.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class ADeviceIsConnectedByAUserTypingItsCodeInChromiumTests(JourneyFixture fixture) : IClassFixture<JourneyFixture>, IDisposable
{
    private readonly HttpClient _http = fixture.Server.CreateClient();

    [Fact]
    public async Task The_device_polls_pending_until_the_user_types_the_code_in_Chromium_and_allows_it_and_then_gets_tokens()
    {
        var protocol = new ProtocolClient(_http);
        var device = await protocol.PostAsync("/connect/device", null, ("client_id", DeviceClientId), ("scope", "openid profile"));
        Assert.Equal(200, device.Status);
        var deviceCode = (string)device.Json["device_code"]!;
        var userCode = (string)device.Json["user_code"]!;
        var verificationUri = (string)device.Json["verification_uri"]!;
        var interval = TimeSpan.FromSeconds((int?)device.Json["interval"] ?? 5);

        // §3.4–3.5: before the user decides, the device is told to keep waiting.
        var pending = await PollAsync(protocol, deviceCode);
        var lastPoll = Stopwatch.StartNew();
        Assert.Equal(400, pending.Status);
        Assert.Equal("authorization_pending", pending.Error);

        await using var chromium = await Chromium.LaunchAsync();
        await chromium.RunAsync(async page =>
        {
            // The verification URI asks a signed-out browser to sign in first, then comes back to the code form.
            await page.GotoAsync(verificationUri);
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/sign-in", Chromium.Committed);
            await page.FillAsync("input[autocomplete=username]", DeviceUser);
            await page.FillAsync("input[autocomplete=current-password]", SignInFixture.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/device", Chromium.Committed);

            await page.FillAsync("input[name=user_code]", userCode);
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(DeviceClientName);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(userCode);
            await page.ClickAsync("button[name=decision][value=allow]");
            await Assertions.Expect(page.Locator("#outcome")).ToContainTextAsync("the device is connected");
        });
        Assert.Empty(chromium.ConsoleErrors);

        // The next poll, no sooner than the interval after the last one, returns the tokens.
        var wait = interval - lastPoll.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait + TimeSpan.FromMilliseconds(250));
        var tokens = await PollAsync(protocol, deviceCode);

        Assert.Equal(200, tokens.Status);
        Assert.Equal("Bearer", (string?)tokens.Json["token_type"]);
        Assert.Equal("openid profile", (string?)tokens.Json["scope"]);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
        var idToken = new JsonWebToken((string)tokens.Json["id_token"]!);
        Assert.Equal(DeviceClientId, idToken.Audiences.Single());
        Assert.Equal(SignInFixture.NameOf(DeviceUser), idToken.GetClaim("name").Value);

        // The device code is spent: polling again is refused.
        Assert.Equal("invalid_grant", (await PollAsync(protocol, deviceCode)).Error);
    }

    private static Task<ProtocolResponse> PollAsync(ProtocolClient protocol, string deviceCode) =>
        protocol.PostAsync("/connect/token", null, ("grant_type", DeviceGrantType), ("client_id", DeviceClientId), ("device_code", deviceCode));

    public void Dispose() => _http.Dispose();
}
