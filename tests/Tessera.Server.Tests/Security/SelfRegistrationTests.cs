using Tessera.Server.Tests.Infrastructure;
using Tessera.Testing;

namespace Tessera.Server.Tests.Security;

/// <summary>Self-registration: off unless configured; when on, Identity's password rules and anti-forgery apply.</summary>
public sealed class SelfRegistrationTests : IAsyncLifetime
{
    private const string StrongPassword = "Zoe-registers-1";
    private TesseraServer _open = null!;
    private TesseraServer _closed = null!;

    public async Task InitializeAsync()
    {
        _open = await TesseraServer.StartAsync(DatabaseKind.Sqlite, TestClients.StandardImport(),
            new Dictionary<string, string?> { ["Tessera:Users:SelfRegistration"] = "true" });
        _closed = await TesseraServer.StartAsync(DatabaseKind.Sqlite, TestClients.StandardImport());
    }

    public async Task DisposeAsync()
    {
        await _open.DisposeAsync();
        await _closed.DisposeAsync();
    }

    [Fact]
    public async Task Registration_is_off_by_default_and_the_page_does_not_exist()
    {
        using var browser = new Browser(_closed);
        var signIn = await browser.GetAsync("/account/sign-in");

        Assert.Equal(404, (await browser.GetAsync("/account/register")).Status);
        var post = await browser.SubmitAsync(signIn, "/account/register", [("username", "zoe"), ("password", StrongPassword)]);
        Assert.Equal(404, post.Status);
        Assert.DoesNotContain("/account/register", signIn.Html);
    }

    [Fact]
    public async Task A_new_user_registers_is_signed_in_and_can_sign_in_again_later()
    {
        using var browser = new Browser(_open);
        var form = await browser.GetAsync("/account/register");
        Assert.Equal(200, form.Status);
        Assert.Contains("autocomplete=\"new-password\"", form.Html);

        var created = await browser.SubmitAsync(form, "/account/register", [("username", "zoe"), ("email", "zoe@example.com"), ("password", StrongPassword)]);
        Assert.Equal(302, created.Status);
        var account = await browser.FollowAsync(created);
        Assert.Contains("<strong>zoe</strong>", account.Html);

        using var later = new Browser(_open);
        var signIn = await later.GetAsync("/account/sign-in");
        var signedIn = await later.SubmitAsync(signIn, "/account/sign-in", [("username", "zoe"), ("password", StrongPassword)]);
        Assert.Equal(302, signedIn.Status);
    }

    [Theory]
    [InlineData("short", "a password Identity's rules refuse")]
    [InlineData("alllowercaseletters", "a password without digits, capitals or symbols")]
    public async Task A_weak_password_creates_no_user(string password, string reason)
    {
        using var browser = new Browser(_open);
        var form = await browser.GetAsync("/account/register");
        var refused = await browser.SubmitAsync(form, "/account/register", [("username", "weak-" + password), ("password", password)]);
        Assert.True(refused.Status == 400, reason);
        Assert.Contains("id=\"problems\"", refused.Html);
        // WCAG 3.3.1: the password is the field in error, and only it is marked so.
        Assert.Matches("id=\"password\"[^>]*aria-invalid=\"true\" aria-describedby=\"problems\"", refused.Html);
        Assert.DoesNotMatch("id=\"username\"[^>]*aria-invalid", refused.Html);

        var signIn = await browser.GetAsync("/account/sign-in");
        var attempt = await browser.SubmitAsync(signIn, "/account/sign-in", [("username", "weak-" + password), ("password", password)]);
        Assert.Equal(400, attempt.Status);
    }

    [Theory]
    [InlineData("zh-CN", "密码至少需要包含一个数字（0-9）。", "用户名“alice”已被占用。")]
    [InlineData("en", "Passwords must have at least one digit ('0'-'9').", "Username 'alice' is already taken.")]
    public async Task Identitys_refusals_are_in_the_readers_language(string language, string passwordRule, string takenName)
    {
        using var browser = new Browser(_open);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var form = await browser.GetAsync("/account/register");

        var weak = await browser.SubmitAsync(form, "/account/register", [("username", "weak-digits-" + language), ("password", "No-digits-here")]);
        var taken = await browser.SubmitAsync(form, "/account/register", [("username", "alice"), ("password", StrongPassword)]);

        // As the pages encode text: markup characters only, every other character as it is.
        var html = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        Assert.Equal(400, weak.Status);
        Assert.Contains(html.Encode(passwordRule), weak.Html, StringComparison.Ordinal);
        Assert.Equal(400, taken.Status);
        Assert.Contains(html.Encode(takenName), taken.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_username_is_refused()
    {
        using var browser = new Browser(_open);
        var form = await browser.GetAsync("/account/register");
        var refused = await browser.SubmitAsync(form, "/account/register", [("username", "alice"), ("password", StrongPassword)]);
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task A_registration_post_without_the_anti_forgery_token_is_refused()
    {
        using var browser = new Browser(_open);
        var form = await browser.GetAsync("/account/register");
        var forged = await browser.SubmitAsync(form, "/account/register", [("username", "mallory"), ("password", StrongPassword)], withAntiforgery: false);
        Assert.Equal(400, forged.Status);

        var signIn = await browser.GetAsync("/account/sign-in");
        Assert.Equal(400, (await browser.SubmitAsync(signIn, "/account/sign-in", [("username", "mallory"), ("password", StrongPassword)])).Status);
    }
}
