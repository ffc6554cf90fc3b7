using System.Text;

namespace Tessera.AspNetCore;

/// <summary>RFC 9110 §11.6.1: one challenge — a scheme, then its auth-params as quoted strings, absent ones left out.</summary>
internal static class ChallengeValue
{
    public static string Format(string scheme, params (string Name, string? Value)[] parameters)
    {
        var value = new StringBuilder(scheme);
        var separator = " ";
        foreach (var (name, text) in parameters)
        {
            if (text is null) continue;
            // The attribute values are quoted-strings; our texts never contain quotes or backslashes.
            value.Append(separator).Append(name).Append("=\"").Append(text.Replace("\\", "").Replace("\"", "")).Append('"');
            separator = ", ";
        }
        return value.ToString();
    }
}
