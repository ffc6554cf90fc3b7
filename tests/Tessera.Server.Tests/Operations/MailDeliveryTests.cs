using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Operations;

/// <summary>
/// Tessera:Email:Smtp as an operator sets it: the settings that belong together are refused apart, and Security says
/// what the connection must be — <c>auto</c> sends in plain text to a server that offers no STARTTLS (as MailKit's Auto
/// does off port 465), <c>starttls</c> and <c>tls</c> refuse to.
/// </summary>
public sealed class MailDeliveryTests
{
    private static JsonObject EmptyImport() => new() { ["apiResources"] = new JsonArray(), ["clients"] = new JsonArray() };

    [Theory]
    [InlineData("Tessera:Email:Smtp:From", "not a mailbox",
        "Tessera:Email:Smtp:From must be a mailbox such as 'Tessera <no-reply@example.com>' when Tessera:Email:Smtp:Host is set.")]
    [InlineData("Tessera:Email:Smtp:Username", "tessera",
        "Tessera:Email:Smtp:Username and Tessera:Email:Smtp:Password are set together or not at all.")]
    public async Task Smtp_settings_that_do_not_fit_together_stop_the_start(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TesseraServer.StartAsync(DatabaseKind.Sqlite, EmptyImport(),
            new Dictionary<string, string?> { ["Tessera:Email:Smtp:Host"] = "127.0.0.1", ["Tessera:Email:Smtp:From"] = "a@example.com", [key] = value }));

        Assert.Contains(expected, error.Failures);
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("none", true)]
    [InlineData("starttls", false)]
    [InlineData("tls", false)]
    public async Task Security_decides_whether_mail_may_cross_a_connection_without_tls(string security, bool delivered)
    {
        using var inbox = SmtpInbox.Start();
        var settings = inbox.Settings();
        settings["Tessera:Email:Smtp:Security"] = security;
        await using var server = await TesseraServer.StartAsync(DatabaseKind.Sqlite, PeopleImport.Create(), settings);
        using var browser = new Browser(server);
        var form = await browser.GetAsync("/account/forgot-password");

        await browser.SubmitAsync(form, "/account/forgot-password", [("email", "alice@example.com")]);

        if (delivered) await inbox.WaitForAsync("alice@example.com");
        else await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(delivered ? 1 : 0, inbox.To("alice@example.com").Count);
    }
}
