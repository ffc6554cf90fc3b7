using System.Globalization;

namespace Tessera.Server.Configuration;

/// <summary>
/// WCAG 2.2's relative luminance and contrast ratio (§1.4.3, "Understanding" definitions) of #rgb/#rrggbb colours: a
/// brand colour is the pages' link text on the card and the background of their buttons, so it must keep 4.5:1.
/// </summary>
public static class ColorContrast
{
    /// <summary>The cards' backgrounds in Tessera's stylesheet (tessera.css --tessera-surface), light and dark.</summary>
    public const string LightSurface = "#ffffff";
    public const string DarkSurface = "#1b1e24";

    /// <summary>WCAG 2.2 1.4.3 (AA): normal text against its background.</summary>
    public const double MinimumRatio = 4.5;

    public static double Ratio(string first, string second)
    {
        var (a, b) = (Luminance(first), Luminance(second));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>Black or white, whichever reads better on <paramref name="background"/> (a button's label).</summary>
    public static string TextOn(string background) => Ratio(background, "#ffffff") >= Ratio(background, "#111111") ? "#ffffff" : "#111111";

    private static double Luminance(string hex)
    {
        var digits = hex.TrimStart('#');
        if (digits.Length == 3) digits = string.Concat(digits.Select(d => new string(d, 2)));
        double Channel(int at)
        {
            var value = int.Parse(digits.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return value <= 0.04045 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }
        return (0.2126 * Channel(0)) + (0.7152 * Channel(2)) + (0.0722 * Channel(4));
    }
}
