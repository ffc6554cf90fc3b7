using StackExchange.Redis;

namespace Tessera.Server.Storage.SharedCache;

/// <summary>
/// The node's one connection to the shared Redis (<c>Tessera:Cache:Redis</c>), set to fail fast: a request must never
/// wait for a Redis that is down, because the database can answer it. The connection is made in the background and
/// made again whenever it drops; until then <see cref="IsConnected"/> is false and the cache is skipped.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    public RedisConnection(string configuration, ILogger<RedisConnection> logger)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start even when Redis is down (the database serves meanwhile) and keep trying to connect.
        options.AbortOnConnectFail = false;
        // A command issued while disconnected fails at once instead of queueing until its timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // A cache read that takes longer than a database read is not worth waiting for; an operator's explicit setting wins.
        if (!Mentions(configuration, "connectTimeout")) options.ConnectTimeout = 2000;
        if (!Mentions(configuration, "asyncTimeout")) options.AsyncTimeout = 500;
        if (!Mentions(configuration, "syncTimeout")) options.SyncTimeout = 500;
        _multiplexer = ConnectionMultiplexer.Connect(options);
        // Only the endpoint is logged: the configuration string may carry a password.
        _multiplexer.ConnectionFailed += (_, e) => Log.Lost(logger, e.EndPoint, e.FailureType);
        _multiplexer.ConnectionRestored += (_, e) => Log.Restored(logger, e.EndPoint);
    }

    public bool IsConnected => _multiplexer.IsConnected;

    public IConnectionMultiplexer Multiplexer => _multiplexer;

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();

    private static bool Mentions(string configuration, string option) =>
        configuration.Contains(option + "=", StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
            Message = "The shared cache's Redis at {EndPoint} is unreachable ({Failure}); introspection reads the database until it is back.")]
        public static partial void Lost(ILogger logger, System.Net.EndPoint? endPoint, ConnectionFailureType failure);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The shared cache's Redis at {EndPoint} is reachable again.")]
        public static partial void Restored(ILogger logger, System.Net.EndPoint? endPoint);
    }
}
