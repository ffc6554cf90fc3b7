using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Cli.Infrastructure;

/// <summary>What <c>tessera login</c> keeps between runs.</summary>
public sealed record Credentials(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("access_token_expires_at")] long AccessTokenExpiresAt,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>
/// The credentials file: <c>$TESSERA_CONFIG_DIR/credentials.json</c>, else <c>$XDG_CONFIG_HOME/tessera/</c>, else
/// <c>~/.config/tessera/</c>. Created readable and writable by its owner only (0600), replaced atomically.
/// </summary>
public static class CredentialStore
{
    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("TESSERA_CONFIG_DIR") is { Length: > 0 } explicitDir) return explicitDir;
            var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config") : xdg;
            return Path.Combine(root, "tessera");
        }
    }

    public static string FilePath => Path.Combine(Directory, "credentials.json");

    public static Credentials? Load()
    {
        if (!File.Exists(FilePath)) return null;
        try
        {
            return JsonSerializer.Deserialize<Credentials>(File.ReadAllText(FilePath));
        }
        catch (JsonException)
        {
            throw new CliException($"The credentials file {FilePath} is damaged; run 'tessera logout' and sign in again.", ExitCodes.NotSignedIn);
        }
    }

    public static void Save(Credentials credentials)
    {
        var directory = System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = FilePath + ".tmp";
        // Created 0600 before anything is written: the token never sits in a readable file, not even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(stream, credentials, Output.Indented);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>True when there was something to delete.</summary>
    public static bool Delete()
    {
        if (!File.Exists(FilePath)) return false;
        File.Delete(FilePath);
        return true;
    }
}
