using Microsoft.Extensions.Options;
using Tessera.Server.Catalog;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Sessions;
using Tessera.Server.Storage.Sessions;

namespace Tessera.Server.BackChannelLogout;

/// <summary>
/// Sends the due logout notifications on every node (OIDC Back-Channel Logout 1.0 §2.5): a POST of the logout token to
/// the client's back-channel logout URI. A 2xx answer ends the notification (§2.8: 200 means the client logged out); any
/// other answer, a timeout or a refused connection schedules another attempt (the first after
/// Tessera:BackChannelLogout:FirstRetryDelay, each later one three times as long, at most an hour) until MaxAttempts.
/// Redirects are not followed: the registered URI is the only address a logout token goes to.
/// </summary>
internal sealed partial class LogoutDeliveryService(
    LogoutOutbox outbox, LogoutTokenWriter tokens, SnapshotCache snapshots, IHttpClientFactory clients, LogoutsQueued logoutsQueued,
    IOptions<TesseraOptions> options, ILogger<LogoutDeliveryService> logger)
    : PeriodicService(options.Value.BackChannelLogout.PollInterval, logger)
{
    public const string HttpClientName = "tessera-back-channel-logout";
    private const int BatchSize = 20;

    /// <summary>
    /// Woken by this node's own session ends, so a notification goes out at once; the poll (30 s by default) picks up
    /// retries and what a stopped node left behind, and costs an idle node one statement per poll.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        logoutsQueued.Committed += Wake;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var notification in await outbox.TakeDueAsync(BatchSize, cancellationToken))
            await DeliverAsync(notification, cancellationToken);
    }

    private async Task DeliverAsync(LogoutNotification notification, CancellationToken cancellationToken)
    {
        var settings = options.Value.BackChannelLogout;
        // The client may have been deleted, or have stopped listening, since the session ended.
        if (snapshots.Current.Catalog.FindClient(notification.ClientId)?.BackchannelLogoutUri is not { } uri)
        {
            await outbox.DoneAsync(notification.Id);
            return;
        }

        string failure;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            using var content = new FormUrlEncodedContent([new("logout_token", tokens.Write(notification.ClientId, notification.UserId, notification.SessionId))]);
            using var response = await clients.CreateClient(HttpClientName).PostAsync(uri, content, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                await outbox.DoneAsync(notification.Id);
                Log.Delivered(logger, notification.ClientId, notification.Attempts);
                return;
            }
            failure = $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            failure = e is OperationCanceledException ? "timed out" : e.Message;
        }

        if (notification.Attempts >= settings.MaxAttempts)
        {
            await outbox.DoneAsync(notification.Id);
            Log.GivenUp(logger, notification.ClientId, notification.Attempts, failure);
            return;
        }
        var delay = RetryDelay(settings.FirstRetryDelay, notification.Attempts);
        await outbox.RetryLaterAsync(notification.Id, delay);
        Log.Retrying(logger, notification.ClientId, failure, delay);
    }

    /// <summary>After attempt n (1-based): the first delay times 3^(n-1), at most an hour.</summary>
    internal static TimeSpan RetryDelay(TimeSpan first, int attempts) =>
        TimeSpan.FromSeconds(Math.Min(TimeSpan.FromHours(1).TotalSeconds, first.TotalSeconds * Math.Pow(3, attempts - 1)));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Back-channel logout delivered to client {ClientId} (attempt {Attempts})")]
        public static partial void Delivered(ILogger logger, string clientId, int attempts);

        [LoggerMessage(2, LogLevel.Warning, "Back-channel logout to client {ClientId} failed ({Failure}); trying again in {Delay}")]
        public static partial void Retrying(ILogger logger, string clientId, string failure, TimeSpan delay);

        [LoggerMessage(3, LogLevel.Error, "Back-channel logout to client {ClientId} given up after {Attempts} attempts ({Failure})")]
        public static partial void GivenUp(ILogger logger, string clientId, int attempts, string failure);
    }
}
