namespace Tessera.Server.Configuration;

/// <summary>
/// Limits for <c>[SettingRange(typeof(TimeSpan), …)]</c>, which takes them as strings (attribute arguments must be constants).
/// Written in the invariant <c>[d.]hh:mm:ss[.fffffff]</c> form; the server runs with invariant globalization (Directory.Build.props).
/// </summary>
internal static class TimeSpanBounds
{
    /// <summary>With <c>MinimumIsExclusive</c>: the setting must be positive.</summary>
    public const string Zero = "00:00:00";

    /// <summary><see cref="TimeSpan.MaxValue"/>: a setting that only has to be positive has no upper bound.</summary>
    public const string Max = "10675199.02:48:05.4775807";
}
