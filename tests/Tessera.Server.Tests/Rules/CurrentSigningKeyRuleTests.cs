using Tessera.Server.Keys;
using Tessera.Server.Storage.Keys;

namespace Tessera.Server.Tests.Rules;

/// <summary>
/// The one rule of <see cref="CurrentSigningKey"/>, one row each with its reason: the newest active, unretired key of
/// the algorithm signs, ties go to the greater kid, so every node picks the same key.
/// </summary>
public sealed class CurrentSigningKeyRuleTests
{
    public sealed record Key(string KeyId, string Algorithm, long ActivatesAt, long? UnpublishAt) : IScheduledKey;

    private const long Now = 1_000;

    public static TheoryData<Key[], string?, string> Schedules => new()
    {
        { [new("a", "RS256", 900, null)], "a", "an active key signs" },
        { [new("a", "RS256", 900, null), new("b", "RS256", 950, null)], "b", "the newest active key signs" },
        { [new("a", "RS256", 900, null), new("b", "RS256", 1_001, null)], "a", "a key activating in the future does not sign yet" },
        { [new("a", "RS256", 900, null), new("b", "RS256", Now, null)], "b", "a key activating this second signs" },
        { [new("b", "RS256", 900, null), new("a", "RS256", 900, null)], "b", "a tie goes to the greater kid, whatever the order" },
        { [new("a", "RS256", 900, null), new("b", "RS256", 900, null)], "b", "a tie goes to the greater kid (ordinal)" },
        { [new("a", "RS256", 900, null), new("b", "RS256", 950, 5_000)], "a", "a retired key never signs, even when newer" },
        { [new("a", "RS256", 900, 5_000)], null, "no unretired key: nothing signs" },
        { [new("a", "ES256", 900, null)], null, "another algorithm's key does not sign" },
        { [], null, "no keys" },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void The_newest_active_key_signs(Key[] keys, string? expected, string reason) =>
        Assert.True(expected == CurrentSigningKey.Among(keys, "RS256", Now)?.KeyId, reason);
}
