using System.Text;

namespace Tessera.AspNetCore;

/// <summary>RFC 9449 §7.1: the WWW-Authenticate value of the DPoP scheme (the Bearer scheme's parameters, and algs).</summary>
public static class DpopChallenge
{
    public static string Format(string? error, string? description, IEnumerable<string> algorithms, string? resourceMetadata = null)
    {
        var value = new StringBuilder("DPoP");
        var separator = " ";
        void Add(string name, string? text)
        {
            if (text is null) return;
            // The attribute values are quoted-strings (RFC 9110 §11.2); our texts never contain quotes or backslashes.
            value.Append(separator).Append(name).Append("=\"").Append(text.Replace("\\", "").Replace("\"", "")).Append('"');
            separator = ", ";
        }
        Add("error", error);
        Add("error_description", description);
        // §7.1: algs, the proof algorithms this resource accepts, space-delimited.
        Add("algs", string.Join(' ', algorithms));
        Add("resource_metadata", resourceMetadata);
        return value.ToString();
    }
}
