using Xunit.Abstractions;

namespace Tessera.Server.Tests.Architecture;

/// <summary>
/// Tokens/ is split by aggregate, and its sub-folders are layers too: the handle formats and DPoP proofs at the bottom, the access-token
/// issuer and inspector above the stores it reads, revocation and code redemption (which record issued access tokens)
/// above that, the built-in APIs' bearer scheme on top (docs/architecture.md).
/// </summary>
public sealed class TokenFolderLayerTests(ITestOutputHelper output)
{
    public static readonly NamespaceLayers Tokens = new("Tessera.Server.Tokens.",
    [
        ["Opaque", "IdTokens", "Dpop"],
        ["DeviceAuthorizations", "RefreshTokens", "PushedAuthorizations"],
        ["AccessTokens"],
        ["AuthorizationCodes", "Revocation"],
        ["LocalBearer"],
    ]);

    [Fact]
    public void Every_folder_of_tokens_is_in_exactly_one_layer() => Assert.Equal("", Tokens.Unplaced());

    [Fact]
    public void No_token_folder_uses_a_folder_of_its_own_layer_or_above()
    {
        var arrows = Tokens.Arrows();
        output.WriteLine(string.Join(Environment.NewLine, arrows.Order(StringComparer.Ordinal)));

        var wrong = Tokens.ArrowsNotPointingDown(arrows);

        Assert.True(wrong.Count == 0, $"arrows that do not point down: {string.Join(", ", wrong)} (docs/architecture.md)");
    }

    [Fact]
    public void No_cycle_joins_the_folders_of_tokens()
    {
        var cycle = Tokens.Cycle(Tokens.Arrows());

        Assert.True(cycle is null, $"cycle: {string.Join(" → ", cycle ?? [])}");
    }
}
