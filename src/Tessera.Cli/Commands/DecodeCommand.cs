using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spectre.Console;
using Tessera.Cli.Decoding;
using Tessera.Cli.Infrastructure;
using Tessera.Protocol;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera decode [TOKEN|-]</c>: offline, like jwt.io. A JWT shows its header, payload and times; <c>--verify</c>
/// checks it against keys and names each failed check. A PAT's checksum is checked locally; <c>--introspect</c> asks
/// the server (RFC 7662) with a resource server's credentials.
/// </summary>
public static class DecodeCommand
{
    private static readonly Argument<string> Token = new("token") { Description = "The token, or '-' (the default) to read it from standard input.", DefaultValueFactory = _ => "-" };
    private static readonly Option<bool> Verify = new("--verify") { Description = "Check the signature (issuer's JWKS unless --jwks or --secret), iss, aud, exp, nbf and typ." };
    private static readonly Option<FileInfo?> Jwks = new("--jwks") { Description = "Verify with the keys of this JWKS file instead of the issuer's." };
    private static readonly Option<string?> Secret = new("--secret") { Description = "Verify an HS256/384/512 token with this secret (base64url as Tessera prints it; prefix 'utf8:' for plain text)." };
    private static readonly Option<FileInfo?> SecretFile = new("--secret-file") { Description = "Like --secret, read from a file (keeps the secret out of the shell history)." };
    private static readonly Option<string?> Audience = new("--audience") { Description = "The audience the token must name." };
    private static readonly Option<string> Type = new("--typ") { Description = "The typ header the token must have (JWT for ID tokens).", DefaultValueFactory = _ => JwtTypes.AccessToken };
    private static readonly Option<bool> Introspect = new("--introspect") { Description = "Ask the server whether the token is active (needs a confidential client: --client-id and --client-secret, or TESSERA_CLIENT_ID and TESSERA_CLIENT_SECRET)." };
    private static readonly Option<string?> ClientId = new("--client-id") { Description = "The client that introspects (a resource server)." };
    private static readonly Option<string?> ClientSecret = new("--client-secret") { Description = "Its secret (or TESSERA_CLIENT_SECRET)." };

    public static Command Create()
    {
        var command = new Command("decode", "Show what a token says, offline; verify or introspect it on request.")
        {
            Token, Verify, Jwks, Secret, SecretFile, Audience, Type, Introspect, ClientId, ClientSecret,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        var token = ReadToken(parse.GetValue(Token)!);
        var kind = TokenKinds.Of(token);
        var result = new JsonObject { ["kind"] = TokenKinds.Describe(kind) };
        var failure = (string?)null;
        var now = DateTimeOffset.UtcNow;

        switch (kind)
        {
            case TokenKind.PersonalAccessToken:
                var wellFormed = PersonalAccessTokenFormat.IsWellFormed(token);
                result["checksum"] = wellFormed ? "valid" : "invalid";
                if (!wellFormed) failure = "The checksum does not match: this is not a personal access token Tessera issued (a typo or a changed character?).";
                break;
            case TokenKind.Jwt:
                var (header, payload) = JwtView.Parts(token);
                result["header"] = header;
                result["payload"] = payload;
                result["times"] = JwtView.Times(payload, now);
                if (parse.GetValue(Verify)) failure = await VerifyAsync(parse, token, result, now);
                break;
            case TokenKind.Unknown:
                failure = "This is not a token Tessera issues: neither a JWT nor a tsr_ handle.";
                break;
        }
        // A handle carries nothing to check a signature on: --verify must not pass on having checked nothing.
        if (failure is null && kind != TokenKind.Jwt && parse.GetValue(Verify) && !parse.GetValue(Introspect))
            failure = "A handle cannot be verified offline: only the server knows it. Ask the server with --introspect (and a client allowed to introspect it).";

        if (failure is null && parse.GetValue(Introspect)) failure = await IntrospectAsync(parse, token, result);

        if (parse.GetValue(CommonOptions.Json)) Output.Json(result);
        else Print(result, kind);
        if (failure is null) return ExitCodes.Success;
        throw new CliException(failure, ExitCodes.TokenRejected);
    }

    private static string ReadToken(string argument)
    {
        var token = (argument == "-" ? Console.In.ReadToEnd() : argument).Trim();
        if (token.Length == 0) throw new CliException("No token given: pass it as an argument or on standard input.", ExitCodes.Usage);
        if (token.Length > 64 * 1024) throw new CliException("The token is longer than 64 KiB; that is not a token.", ExitCodes.Usage);
        return token;
    }

    private static async Task<string?> VerifyAsync(ParseResult parse, string jwt, JsonObject result, DateTimeOffset now)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(jwt);
        }
        catch (ArgumentException)
        {
            return "This is not a well-formed JWT.";
        }

        var expectations = await ExpectationsAsync(parse);
        var checks = await JwtVerifier.VerifyAsync(jwt, token, expectations, now);
        var failed = checks.Where(c => c.Outcome == Check.Failed).ToList();
        result["verification"] = new JsonObject
        {
            ["valid"] = failed.Count == 0,
            ["checks"] = new JsonArray(checks.Select(c => (JsonNode)new JsonObject { ["check"] = c.Name, ["outcome"] = c.Outcome, ["detail"] = c.Detail }).ToArray()),
        };
        return failed.Count == 0 ? null : "The token is not valid: " + string.Join("; ", failed.Select(c => $"{c.Name}: {c.Detail}")) + ".";
    }

    private static async Task<Expectations> ExpectationsAsync(ParseResult parse)
    {
        var audience = parse.GetValue(Audience);
        var type = parse.GetValue(Type)!;
        var explicitIssuer = parse.GetValue(CommonOptions.Issuer) ?? Environment.GetEnvironmentVariable(Session.IssuerVariable);
        if (parse.GetValue(Secret) is { } secret) return new([SecretKey(secret)], true, explicitIssuer?.TrimEnd('/'), audience, type);
        if (parse.GetValue(SecretFile) is { } secretFile) return new([SecretKey(ReadFile(secretFile).Trim())], true, explicitIssuer?.TrimEnd('/'), audience, type);
        if (parse.GetValue(Jwks) is { } jwksFile) return new(KeysOf(ReadFile(jwksFile), jwksFile.FullName), false, explicitIssuer?.TrimEnd('/'), audience, type);

        using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
        var jwks = await Output.WaitAsync("Fetching the issuer's keys…", async () => await server.GetJsonAsync(await server.EndpointAsync("jwks_uri")));
        return new(KeysOf(jwks.ToJsonString(), server.Issuer + " (JWKS)"), false, server.Issuer, audience, type);
    }

    private static SymmetricSecurityKey SecretKey(string secret)
    {
        try
        {
            return new SymmetricSecurityKey(secret.StartsWith("utf8:", StringComparison.Ordinal)
                ? System.Text.Encoding.UTF8.GetBytes(secret[5..])
                : Base64UrlEncoder.DecodeBytes(secret));
        }
        catch (FormatException)
        {
            throw new CliException("The secret is not base64url; prefix it with 'utf8:' if it is plain text.", ExitCodes.Usage);
        }
    }

    private static List<SecurityKey> KeysOf(string json, string source)
    {
        try
        {
            return new JsonWebKeySet(json).GetSigningKeys().ToList();
        }
        catch (ArgumentException)
        {
            throw new CliException($"{source} is not a JSON Web Key Set.", ExitCodes.Usage);
        }
    }

    private static string ReadFile(FileInfo file) =>
        file.Exists ? File.ReadAllText(file.FullName) : throw new CliException($"{file.FullName} does not exist.", ExitCodes.Usage);

    private static async Task<string?> IntrospectAsync(ParseResult parse, string token, JsonObject result)
    {
        var clientId = parse.GetValue(ClientId) ?? Environment.GetEnvironmentVariable("TESSERA_CLIENT_ID");
        var secret = parse.GetValue(ClientSecret) ?? Environment.GetEnvironmentVariable("TESSERA_CLIENT_SECRET");
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
            throw new CliException("Introspection needs a confidential client: pass --client-id and --client-secret (or set TESSERA_CLIENT_ID and TESSERA_CLIENT_SECRET).", ExitCodes.Usage);

        using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
        // RFC 7662 §2.1 with client_secret_basic (RFC 6749 §2.3.1).
        var introspectionEndpoint = await server.EndpointAsync("introspection_endpoint");
        var (status, body) = await server.RequestAsync(http => http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = introspectionEndpoint, ClientId = clientId, ClientSecret = secret, ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader,
            Token = token,
        }));
        if (status != HttpStatusCode.OK)
            throw new CliException($"Introspection failed: {(string?)body["error_description"] ?? (string?)body["error"]}.", status == HttpStatusCode.Unauthorized ? ExitCodes.Failed : ExitCodes.Unreachable);
        result["introspection"] = body;
        return (bool?)body["active"] == true ? null : "The server says the token is not active (unknown, expired or revoked).";
    }

    private static void Print(JsonObject result, TokenKind kind)
    {
        var console = Output.Data;
        console.MarkupLine($"[bold]{Markup.Escape((string)result["kind"]!)}[/]");
        if (result["checksum"] is { } checksum)
            console.MarkupLine((string?)checksum == "valid" ? "checksum: [green]valid[/] (the server still decides whether it is active)" : "checksum: [red]invalid[/]");
        foreach (var part in new[] { "header", "payload" })
        {
            if (result[part] is not { } json) continue;
            console.Write(new Panel(Markup.Escape(json.ToJsonString(Output.Indented))).Header(part));
        }
        if (result["times"] is JsonObject { Count: > 0 } times)
        {
            var table = Output.Table("claim", "local time", "");
            foreach (var (name, value) in times) table.AddRow(name, Markup.Escape((string)value!["local"]!), Markup.Escape((string)value["relative"]!));
            console.Write(table);
        }
        if (result["verification"] is JsonObject verification)
        {
            var table = Output.Table("check", "outcome", "detail");
            foreach (var check in verification["checks"]!.AsArray())
            {
                var outcome = (string)check!["outcome"]!;
                var colour = outcome == Check.Passed ? "green" : outcome == Check.Failed ? "red" : "grey";
                table.AddRow((string)check["check"]!, $"[{colour}]{outcome}[/]", Markup.Escape((string)check["detail"]!));
            }
            console.Write(table);
            console.MarkupLine((bool)verification["valid"]! ? "[green]valid[/]" : "[red]not valid[/]");
        }
        if (result["introspection"] is JsonObject introspection)
            console.Write(new Panel(Markup.Escape(introspection.ToJsonString(Output.Indented))).Header("introspection"));
        else if (kind is TokenKind.OpaqueAccessToken or TokenKind.RefreshToken or TokenKind.PersonalAccessToken)
            console.MarkupLine("Only the server knows whether this handle is active and what it grants: use --introspect.");
    }
}
