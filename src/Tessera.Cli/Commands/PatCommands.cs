using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessera.Cli.Infrastructure;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera pat create|list|revoke</c>: personal access tokens through the server's PAT API.</summary>
public static class PatCommands
{
    private const string Path = "/api/pats";

    public static Command Create()
    {
        var command = new Command("pat", "Create, list and revoke your personal access tokens.");
        command.Subcommands.Add(CreateToken());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command CreateToken()
    {
        var name = new Option<string>("--name") { Description = "What the token is for.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope it carries (repeat for more).", Required = true, AllowMultipleArgumentsPerToken = true };
        var days = new Option<int>("--expires-in-days") { Description = "Days until it expires (every token expires).", DefaultValueFactory = _ => 30 };
        var command = new Command("create", "Create a token; it is printed once and cannot be shown again.") { name, scopes, days };
        command.SetAction(async parse =>
        {
            using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
            var bearer = await Session.BearerAsync(server);
            var scopeList = parse.GetValue(scopes)!.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
            var created = (JsonObject)(await server.ApiAsync(HttpMethod.Post, Path, bearer,
                new { name = parse.GetValue(name), scopes = scopeList, expires_in_days = parse.GetValue(days) }))!;
            if (parse.GetValue(CommonOptions.Json))
            {
                Output.Json(created);
            }
            else
            {
                Output.Line((string)created["token"]!);
                Output.Note($"Created [bold]{Markup.Escape((string)created["name"]!)}[/] (id {Markup.Escape((string)created["id"]!)}), expires {Output.Time((long?)created["expires_at"])}. Copy it now: it is not shown again.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List your tokens (never the tokens themselves).");
        command.SetAction(async parse =>
        {
            using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
            var listed = (JsonObject)(await server.ApiAsync(HttpMethod.Get, Path, await Session.BearerAsync(server)))!;
            if (parse.GetValue(CommonOptions.Json))
            {
                Output.Json(listed["tokens"]!.DeepClone());
                return ExitCodes.Success;
            }
            var table = Output.Table("id", "name", "scopes", "created", "expires", "last used");
            foreach (var token in listed["tokens"]!.AsArray())
            {
                table.AddRow(Markup.Escape((string)token!["id"]!), Markup.Escape((string)token["name"]!),
                    Markup.Escape(string.Join(' ', token["scopes"]!.AsArray().Select(s => (string?)s))),
                    Output.Time((long?)token["created_at"]), Output.Time((long?)token["expires_at"]), Output.Time((long?)token["last_used_at"]));
            }
            Output.Data.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The token's id (from 'tessera pat list')." };
        var command = new Command("revoke", "Revoke a token: it stops working at once.") { id };
        command.SetAction(async parse =>
        {
            using var server = new ServerClient(Session.Issuer(parse.GetValue(CommonOptions.Issuer)));
            await server.ApiAsync(HttpMethod.Delete, $"{Path}/{Uri.EscapeDataString(parse.GetValue(id)!)}", await Session.BearerAsync(server));
            if (parse.GetValue(CommonOptions.Json)) Output.Json(new JsonObject { ["revoked"] = parse.GetValue(id) });
            else Output.Note("Revoked.");
            return ExitCodes.Success;
        });
        return command;
    }
}
