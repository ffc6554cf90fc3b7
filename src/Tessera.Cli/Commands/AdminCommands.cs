using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessera.Cli.Infrastructure;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera clients|apis|roles|users|keys</c>: the admin HTTP API. The token must carry the area's admin permission: an
/// administrative client's token in TESSERA_TOKEN, or the session of 'tessera login --client-id' at a client marked
/// administration, as a user whose roles hold it. Clients and APIs are read and written in the import file's format.
/// </summary>
public static class AdminCommands
{
    public static IEnumerable<Command> Create() =>
    [
        Catalog("clients", "client", "/admin/clients", "clientId", ["clientId", "displayName", "grantTypes", "scopes", "introspects", "public", "origin"]),
        Catalog("apis", "API", "/admin/apis", "name", ["name", "audience", "scopes", "accessTokenFormat", "signingAlgorithm", "accessTokenLifetime", "personalAccessTokens", "userAccess"]),
        Catalog("roles", "role", "/admin/roles", "name", ["name", "description", "permissions"]),
        UserCommands.Create(),
        Keys(),
        AuditCommand.Create(),
    ];

    /// <summary>list, show, create --file, update --file, delete for one kind of catalog entry.</summary>
    private static Command Catalog(string plural, string singular, string path, string key, string[] columns)
    {
        var command = new Command(plural, $"Administer {plural} (import file format; needs tessera:admin:{plural}, tessera:admin:read to read, or tessera:admin).");

        var list = new Command("list", $"List the {plural}.");
        list.SetAction(parse => RunAsync(parse, async (server, bearer, json) =>
        {
            var items = (await server.ApiAsync(HttpMethod.Get, path, bearer))![plural]!.AsArray();
            if (json) Output.Json(items.DeepClone());
            else PrintTable(items, columns);
        }));

        var id = new Argument<string>(key) { Description = $"The {singular}'s {key}." };
        var show = new Command("show", $"Show one {singular} as JSON (edit it and pass it to update).") { id };
        show.SetAction(parse => RunAsync(parse, async (server, bearer, _) =>
            Output.Json((await server.ApiAsync(HttpMethod.Get, $"{path}/{Uri.EscapeDataString(parse.GetValue(id)!)}", bearer))!)));

        var file = new Option<FileInfo>("--file") { Description = $"A JSON file with the {singular}, as in the import file's {plural} list ('-' for standard input).", Required = true };
        var create = new Command("create", $"Create a {singular}." + (plural == "clients" ? " A generated client secret is printed once." : "")) { file };
        create.SetAction(parse => RunAsync(parse, async (server, bearer, json) =>
        {
            var created = (await server.ApiAsync(HttpMethod.Post, path, bearer, ReadBody(parse.GetValue(file)!)))!;
            if (json) { Output.Json(created); return; }
            if ((string?)created["clientSecret"] is { } secret)
            {
                Output.Line(secret);
                Output.Note("Created. The line above is the client secret: copy it now, it is not shown again.");
            }
            else Output.Note($"Created {singular} [bold]{Markup.Escape((string?)(created["client"] ?? created)[key] ?? "")}[/].");
        }));

        var update = new Command("update", $"Replace a {singular} with the file's content.") { id, file };
        update.SetAction(parse => RunAsync(parse, async (server, bearer, json) =>
        {
            var updated = (await server.ApiAsync(HttpMethod.Put, $"{path}/{Uri.EscapeDataString(parse.GetValue(id)!)}", bearer, ReadBody(parse.GetValue(file)!)))!;
            if (json) Output.Json(updated);
            else Output.Note($"Updated {singular} [bold]{Markup.Escape(parse.GetValue(id)!)}[/].");
        }));

        var delete = new Command("delete", $"Delete a {singular}.") { id };
        delete.SetAction(parse => RunAsync(parse, async (server, bearer, json) =>
        {
            await server.ApiAsync(HttpMethod.Delete, $"{path}/{Uri.EscapeDataString(parse.GetValue(id)!)}", bearer);
            if (json) Output.Json(new JsonObject { ["deleted"] = parse.GetValue(id) });
            else Output.Note($"Deleted {singular} [bold]{Markup.Escape(parse.GetValue(id)!)}[/].");
        }));

        foreach (var sub in new[] { list, show, create, update, delete }) command.Subcommands.Add(sub);
        return command;
    }

    private static Command Keys()
    {
        var command = new Command("keys", "List the signing keys, or rotate one (needs tessera:admin:keys, tessera:admin:read to list, or tessera:admin).");
        var list = new Command("list", "List the signing keys: current, next and retired.");
        list.SetAction(parse => RunAsync(parse, async (server, bearer, json) =>
        {
            var keys = (await server.ApiAsync(HttpMethod.Get, "/admin/keys", bearer))!["keys"]!.AsArray();
            if (json) Output.Json(keys.DeepClone());
            else PrintTable(keys, ["kid", "alg", "status", "activates_at", "unpublish_at"]);
        }));
        var algorithm = new Option<string>("--algorithm") { Description = "Which algorithm's key to replace.", DefaultValueFactory = _ => "RS256" };
        var rotate = new Command("rotate", "Make a new key sign from now on (the old one stays published until its tokens expire).") { algorithm };
        rotate.SetAction(parse => RunAsync(parse, async (server, bearer, json) =>
        {
            var key = (await Output.WaitAsync("Generating and publishing a new key…", () =>
                server.ApiAsync(HttpMethod.Post, $"/admin/keys/rotate?algorithm={Uri.EscapeDataString(parse.GetValue(algorithm)!)}", bearer)))!;
            if (json) Output.Json(key);
            else Output.Note($"Key [bold]{Markup.Escape((string)key["kid"]!)}[/] ({Markup.Escape((string)key["alg"]!)}) signs from now on.");
        }));
        command.Subcommands.Add(list);
        command.Subcommands.Add(rotate);
        return command;
    }

    /// <summary>Resolves the server and the bearer token, then runs the command's work.</summary>
    internal static async Task<int> RunAsync(ParseResult parse, Func<ServerClient, string, bool, Task> work)
    {
        using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
        await work(server, await Session.BearerAsync(server), parse.GetValue(CommonOptions.Json));
        return ExitCodes.Success;
    }

    private static JsonNode ReadBody(FileInfo file)
    {
        var text = file.Name == "-" ? Console.In.ReadToEnd()
            : file.Exists ? File.ReadAllText(file.FullName)
            : throw new CliException($"{file.FullName} does not exist.", ExitCodes.Usage);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new CliException($"{file.Name} must hold one JSON object.", ExitCodes.Usage);
        }
        catch (JsonException e)
        {
            throw new CliException($"{file.Name} is not valid JSON: {e.Message.Split('.')[0]}.", ExitCodes.Usage);
        }
    }

    internal static void PrintTable(JsonArray items, string[] columns)
    {
        var table = Output.Table(columns);
        foreach (var item in items)
        {
            table.AddRow(columns.Select(c => Markup.Escape(item![c] switch
            {
                null => "",
                JsonArray array => string.Join(' ', array.Select(v => v?.ToString())),
                // Unix times (activates_at, unpublish_at) as local times for people; --json keeps the numbers.
                JsonValue time when c.EndsWith("_at", StringComparison.Ordinal) && time.TryGetValue<long>(out var unix) => Output.Time(unix),
                var value => value.ToString(),
            })).ToArray());
        }
        Output.Data.Write(table);
    }
}
