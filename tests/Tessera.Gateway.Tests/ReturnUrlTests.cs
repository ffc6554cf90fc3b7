namespace Tessera.Gateway.Tests;

/// <summary>/login?returnUrl=…: after the sign-in the browser goes there, so only a path on the gateway itself is kept.</summary>
public sealed class ReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/messages/inbox")]
    [InlineData("/search?q=a%2Fb")]
    public void A_path_on_this_site_is_kept(string url) => Assert.True(SessionEndpoints.IsLocal(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    // Browsers drop tabs and newlines from a Location header: "/\t/evil.example" arrives as "//evil.example".
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\r/evil.example")]
    [InlineData("messages")]
    public void Anything_else_is_replaced_by_the_root(string? url) => Assert.False(SessionEndpoints.IsLocal(url));
}
