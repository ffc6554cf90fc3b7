using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Cli.Infrastructure;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera audit</c>: the audit trail (GET /admin/audit), newest first, filtered like the API; <c>--follow</c> prints
/// the latest events and then each new one as it is written, oldest first, until Ctrl-C. Needs tessera:admin:audit or
/// tessera:admin.
/// </summary>
public static class AuditCommand
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(2);
    private static readonly string[] Columns = ["time", "type", "outcome", "actor", "user", "client", "ip"];

    public static Command Create()
    {
        var type = new Option<string>("--type") { Description = "Only events of this type, e.g. signin.failed." };
        var user = new Option<string>("--user") { Description = "Only events about this user id." };
        var client = new Option<string>("--client") { Description = "Only events about this client id." };
        var since = new Option<string>("--since") { Description = "Only events at or after this ISO 8601 time." };
        var until = new Option<string>("--until") { Description = "Only events before this ISO 8601 time." };
        var limit = new Option<int>("--limit") { Description = "How many events (1 to 1000).", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they are written, until Ctrl-C." };
        var command = new Command("audit", "Read the audit trail: sign-ins, admin changes, PATs, consents, token reuse (needs tessera:admin:audit or tessera:admin).")
        {
            type, user, client, since, until, limit, follow,
        };
        command.SetAction((parse, cancellation) => AdminCommands.RunAsync(parse, async (server, bearer, json) =>
        {
            var filters = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value)) filters.Add($"{name}={Uri.EscapeDataString(value)}");
            }
            Add("type", parse.GetValue(type));
            Add("user", parse.GetValue(user));
            Add("client", parse.GetValue(client));
            Add("since", parse.GetValue(since));
            Add("until", parse.GetValue(until));
            Add("limit", parse.GetValue(limit).ToString(CultureInfo.InvariantCulture));
            var query = string.Join('&', filters);

            var page = (await server.ApiAsync(HttpMethod.Get, "/admin/audit?" + query, bearer))!["events"]!.AsArray();
            if (!parse.GetValue(follow))
            {
                if (json) Output.Json(page.DeepClone());
                else AdminCommands.PrintTable(page, Columns);
                return;
            }

            // Oldest first from here on: what came before, then each new event once, found by id (the server answers only
            // events settled for a few seconds, so one that commits late is not skipped). An empty trail starts from the
            // newest id there will be, not from the oldest event kept.
            var newest = 0L;
            foreach (var e in page.Reverse()) newest = Print(e!, json, newest);
            if (newest == 0) newest = await NewestIdAsync(server, bearer);
            // On standard error, so the events on standard output stay a clean stream; from here on nothing is missed.
            Output.Note("Following the audit trail (Ctrl-C stops).");
            while (!cancellation.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(FollowInterval, cancellation);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                var since = (await server.ApiAsync(HttpMethod.Get, $"/admin/audit?{query}&after={newest}", bearer))!["events"]!.AsArray();
                foreach (var e in since) newest = Print(e!, json, newest);
            }
        }));
        return command;
    }

    /// <summary>The newest event's id in the whole trail (0 when it is empty): where following starts when the filter matched nothing yet.</summary>
    private static async Task<long> NewestIdAsync(ServerClient server, string bearer) =>
        (await server.ApiAsync(HttpMethod.Get, "/admin/audit?limit=1", bearer))!["events"]!.AsArray() is [{ } newest] ? newest["id"]!.GetValue<long>() : 0;

    /// <summary>One event per line: JSON with --json (a stream a SIEM shipper can read), else the table's columns.</summary>
    private static long Print(JsonNode e, bool json, long newest)
    {
        Output.Line(json ? e.ToJsonString() : string.Join("  ", Columns.Select(c => e[c]?.ToString() ?? "-")));
        return Math.Max(newest, e["id"]!.GetValue<long>());
    }
}
