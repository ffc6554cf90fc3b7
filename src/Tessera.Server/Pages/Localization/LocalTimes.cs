using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Tessera.Server.Pages.Localization;

/// <summary>
/// Dates and times on the pages in the reader's culture and time zone. The browser has no header for its time zone, so
/// a small script (time-zone.js) puts the IANA name in a cookie; until it has (the first page a browser sees), and for a
/// name this machine does not know, times are in UTC and say so.
/// </summary>
internal sealed class LocalTimes(IHttpContextAccessor accessor)
{
    public const string CookieName = "tessera.time-zone";

    /// <summary>IANA names are short ("America/Argentina/ComodRivadavia" is the longest); anything longer is not one.</summary>
    private const int LongestName = 64;

    /// <summary>A <c>&lt;time&gt;</c> element: the instant in RFC 3339 for machines, the local wording for people.</summary>
    public IHtmlContent Show(DateTimeOffset instant)
    {
        var zone = ReaderTimeZone();
        var local = TimeZoneInfo.ConvertTime(instant, zone ?? TimeZoneInfo.Utc);
        var words = local.ToString("g", CultureInfo.CurrentCulture) + (zone is null ? " UTC" : "");
        var machine = instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new HtmlString($"<time datetime=\"{machine}\">{System.Net.WebUtility.HtmlEncode(words)}</time>");
    }

    public IHtmlContent Show(long unixSeconds) => Show(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    private TimeZoneInfo? ReaderTimeZone()
    {
        var name = accessor.HttpContext?.Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(name) || name.Length > LongestName) return null;
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : null;
    }
}
