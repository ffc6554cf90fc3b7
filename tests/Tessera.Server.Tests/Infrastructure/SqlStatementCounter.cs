using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Storage;

namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// Counts the SQL statements a test server sends to its database (every command EF Core runs, raw SQL included;
/// transactions' BEGIN and COMMIT are not commands and are not counted). Registered through the test host's configure
/// hook, next to the server's own options: <c>TesseraServer.StartAsync(..., configure: counter.Register)</c>.
/// </summary>
public sealed class SqlStatementCounter : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _statements = new();

    /// <summary>
    /// Settings that keep a server's timers out of a count: its background jobs (caches, polls, housekeeping) wait an
    /// hour, or the longest they may, so what is counted is the request's own statements.
    /// </summary>
    public static Dictionary<string, string?> QuietSettings() => new()
    {
        ["Tessera:Cache:RefreshInterval"] = "01:00:00",
        ["Tessera:Cache:RevocationPollInterval"] = "01:00:00",
        ["Tessera:Keys:CheckInterval"] = "01:00:00",
        ["Tessera:Housekeeping:Interval"] = "01:00:00",
        ["Tessera:BackChannelLogout:PollInterval"] = "00:01:00",
    };

    public int Count => _statements.Count;

    /// <summary>The statements counted since the last <see cref="Reset"/>.</summary>
    public IReadOnlyList<string> Statements => [.. _statements];

    /// <summary>The statements counted since the last <see cref="Reset"/>, for a failing assertion's message.</summary>
    public string Listing => string.Join(Environment.NewLine + "---" + Environment.NewLine, _statements);

    public void Register(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureDbContext<SqliteTesseraDbContext>(options => options.AddInterceptors(this));
        builder.Services.ConfigureDbContext<PostgresTesseraDbContext>(options => options.AddInterceptors(this));
    }

    public void Reset() => _statements.Clear();

    /// <summary>The statements <paramref name="action"/> ran (and anything else the server ran meanwhile).</summary>
    public async Task<int> CountAsync(Func<Task> action)
    {
        Reset();
        await action();
        return Count;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        _statements.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        _statements.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        _statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        _statements.Enqueue(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        _statements.Enqueue(command.CommandText);
        return ValueTask.FromResult(result);
    }
}
