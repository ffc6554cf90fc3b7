using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessera.Cli.Infrastructure;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera users list|create|update|delete|disable|enable|revoke|reset-mfa</c> (needs tessera:admin:users, roles tessera:admin:roles). Passwords are read from a file or standard input, never from the command line.</summary>
public static class UserCommands
{
    public static Command Create()
    {
        var command = new Command("users", "Administer users (needs tessera:admin:users; their roles tessera:admin:roles; or tessera:admin).");

        var list = new Command("list", "List users.");
        list.SetAction(parse => AdminCommands.RunAsync(parse, async (server, bearer, json) =>
        {
            var users = (await server.ApiAsync(HttpMethod.Get, "/admin/users", bearer))!["users"]!.AsArray();
            if (json) Output.Json(users.DeepClone());
            else AdminCommands.PrintTable(users, ["username", "name", "email", "emailVerified", "disabled", "id"]);
        }));

        var username = new Argument<string>("username") { Description = "The user's username." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "A file holding the password ('-' for standard input)." };
        var email = new Option<string?>("--email") { Description = "E-mail address." };
        var verified = new Option<bool?>("--email-verified") { Description = "Whether the e-mail address is verified." };
        var name = new Option<string?>("--name") { Description = "Full name." };
        var requireMfa = new Option<bool?>("--require-mfa") { Description = "Whether the user must sign in with a second factor (true or false)." };

        var create = new Command("create", "Create a user.") { username, passwordFile, email, verified, name };
        create.SetAction(parse => AdminCommands.RunAsync(parse, async (server, bearer, json) =>
        {
            var password = ReadPassword(parse.GetValue(passwordFile)) ?? throw new CliException("A new user needs --password-file.", ExitCodes.Usage);
            var created = (await server.ApiAsync(HttpMethod.Post, "/admin/users", bearer, new JsonObject
            {
                ["username"] = parse.GetValue(username), ["password"] = password, ["email"] = parse.GetValue(email),
                ["emailVerified"] = parse.GetValue(verified), ["name"] = parse.GetValue(name),
            }))!;
            if (json) Output.Json(created);
            else Output.Note($"Created user [bold]{Markup.Escape((string)created["username"]!)}[/].");
        }));

        var update = new Command("update", "Change a user's password, e-mail, name or second-factor requirement (only what is given).") { username, passwordFile, email, verified, name, requireMfa };
        update.SetAction(parse => AdminCommands.RunAsync(parse, async (server, bearer, json) =>
        {
            var change = new JsonObject();
            if (ReadPassword(parse.GetValue(passwordFile)) is { } password) change["password"] = password;
            if (parse.GetValue(email) is { } address) change["email"] = address;
            if (parse.GetValue(verified) is { } isVerified) change["emailVerified"] = isVerified;
            if (parse.GetValue(name) is { } fullName) change["name"] = fullName;
            if (parse.GetValue(requireMfa) is { } mustUseMfa) change["requireMfa"] = mustUseMfa;
            var updated = (await server.ApiAsync(HttpMethod.Put, $"/admin/users/{Uri.EscapeDataString(parse.GetValue(username)!)}", bearer, change))!;
            if (json) Output.Json(updated);
            else Output.Note($"Updated user [bold]{Markup.Escape(parse.GetValue(username)!)}[/].");
        }));

        var delete = new Command("delete", "Delete a user; their personal access tokens and grants are revoked.") { username };
        delete.SetAction(parse => AdminCommands.RunAsync(parse, async (server, bearer, json) =>
        {
            await server.ApiAsync(HttpMethod.Delete, $"/admin/users/{Uri.EscapeDataString(parse.GetValue(username)!)}", bearer);
            if (json) Output.Json(new JsonObject { ["deleted"] = parse.GetValue(username) });
            else Output.Note($"Deleted user [bold]{Markup.Escape(parse.GetValue(username)!)}[/].");
        }));

        var disable = new Command("disable", "Disable a user: no sign-in, refresh or token use; every session and token of the user ends.") { username };
        disable.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            PostAsync(server, bearer, json, parse.GetValue(username)!, "disable", "Disabled user [bold]{0}[/]; their sessions and tokens have ended.")));

        var enable = new Command("enable", "Enable a disabled user again (tokens revoked by the disable stay revoked).") { username };
        enable.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            PostAsync(server, bearer, json, parse.GetValue(username)!, "enable", "Enabled user [bold]{0}[/].")));

        var revoke = new Command("revoke", "End every session and revoke every token of a user, who stays enabled.") { username };
        revoke.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            PostAsync(server, bearer, json, parse.GetValue(username)!, "revoke", "Ended every session and token of [bold]{0}[/].")));

        var resetMfa = new Command("reset-mfa", "Turn off a user's two-factor sign-in (a lost authenticator); every session and token of the user ends.") { username };
        resetMfa.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            PostAsync(server, bearer, json, parse.GetValue(username)!, "reset-mfa", "Turned off two-factor sign-in of [bold]{0}[/]; their sessions and tokens have ended.")));

        foreach (var sub in new[] { list, create, update, delete, disable, enable, revoke, resetMfa, Roles(username) }) command.Subcommands.Add(sub);
        return command;
    }

    /// <summary><c>tessera users roles show|set|add|remove USERNAME [ROLE...]</c>: the user's role set (PUT replaces it whole).</summary>
    private static Command Roles(Argument<string> username)
    {
        var command = new Command("roles", "Show or change a user's roles.");
        var roles = new Argument<string[]>("role") { Description = "Role names.", Arity = ArgumentArity.ZeroOrMore };
        var show = new Command("show", "Show the user's roles.") { username };
        show.SetAction(parse => AdminCommands.RunAsync(parse, async (server, bearer, json) =>
            Print(await RolesOfAsync(server, bearer, parse.GetValue(username)!), parse.GetValue(username)!, json)));
        var set = new Command("set", "Make these the user's roles (none: no roles).") { username, roles };
        set.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            ChangeAsync(server, bearer, json, parse.GetValue(username)!, _ => parse.GetValue(roles) ?? [])));
        var add = new Command("add", "Give the user these roles as well.") { username, roles };
        add.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            ChangeAsync(server, bearer, json, parse.GetValue(username)!, held => [.. held.Union(parse.GetValue(roles) ?? [], StringComparer.OrdinalIgnoreCase)])));
        var remove = new Command("remove", "Take these roles from the user.") { username, roles };
        remove.SetAction(parse => AdminCommands.RunAsync(parse, (server, bearer, json) =>
            ChangeAsync(server, bearer, json, parse.GetValue(username)!, held => [.. held.Except(parse.GetValue(roles) ?? [], StringComparer.OrdinalIgnoreCase)])));
        foreach (var sub in new[] { show, set, add, remove }) command.Subcommands.Add(sub);
        return command;
    }

    private static async Task<string[]> RolesOfAsync(ServerClient server, string bearer, string username) =>
        [.. (await server.ApiAsync(HttpMethod.Get, $"/admin/users/{Uri.EscapeDataString(username)}/roles", bearer))!["roles"]!.AsArray().Select(r => (string)r!)];

    private static async Task ChangeAsync(ServerClient server, string bearer, bool json, string username, Func<string[], string[]> change)
    {
        var wanted = change(await RolesOfAsync(server, bearer, username));
        var answer = (await server.ApiAsync(HttpMethod.Put, $"/admin/users/{Uri.EscapeDataString(username)}/roles", bearer,
            new JsonObject { ["roles"] = new JsonArray([.. wanted.Select(r => (JsonNode)r)]) }))!;
        Print([.. answer["roles"]!.AsArray().Select(r => (string)r!)], username, json);
    }

    private static void Print(string[] roles, string username, bool json)
    {
        if (json) Output.Json(new JsonObject { ["username"] = username, ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]) });
        else Output.Line(roles.Length == 0 ? $"{username} holds no role" : $"{username}: {string.Join(", ", roles)}");
    }

    /// <summary>POST /admin/users/{username}/{action}; prints the user as the server returns it (or the name, for revoke's empty answer).</summary>
    private static async Task PostAsync(ServerClient server, string bearer, bool json, string username, string action, string note)
    {
        var answer = await server.ApiAsync(HttpMethod.Post, $"/admin/users/{Uri.EscapeDataString(username)}/{action}", bearer);
        if (json) Output.Json(answer ?? new JsonObject { ["username"] = username, [action + "d"] = true });
        else Output.Note(string.Format(System.Globalization.CultureInfo.InvariantCulture, note, Markup.Escape(username)));
    }

    private static string? ReadPassword(FileInfo? file)
    {
        if (file is null) return null;
        var text = file.Name == "-" ? Console.In.ReadToEnd()
            : file.Exists ? File.ReadAllText(file.FullName)
            : throw new CliException($"{file.FullName} does not exist.", ExitCodes.Usage);
        return text.TrimEnd('\r', '\n');
    }
}
