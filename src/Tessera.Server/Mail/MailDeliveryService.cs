using MimeKit;

namespace Tessera.Server.Mail;

/// <summary>
/// Sends the queued messages one at a time, each tried three times (now, after 5 s, after 30 s) before it is given up
/// and logged. The log names the recipient's domain and the failure, never the message: it holds a live link.
/// </summary>
internal sealed partial class MailDeliveryService(MailQueue queue, IMailTransport transport, ILogger<MailDeliveryService> logger)
    : BackgroundService
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken))
            await DeliverAsync(message, stoppingToken);
    }

    private async Task DeliverAsync(MimeMessage message, CancellationToken stoppingToken)
    {
        var domain = RecipientDomain(message);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await transport.SendAsync(message, stoppingToken);
                Log.Sent(logger, domain);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt >= Backoff.Length)
                {
                    Log.GivenUp(logger, domain, attempt + 1, e.GetType().Name, e.Message);
                    return;
                }
                Log.Retrying(logger, domain, e.GetType().Name, e.Message, Backoff[attempt]);
                await Task.Delay(Backoff[attempt], stoppingToken);
            }
        }
    }

    private static string RecipientDomain(MimeMessage message) =>
        message.To.Mailboxes.FirstOrDefault()?.Domain ?? "(no recipient)";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Mail to a recipient at {Domain} handed on")]
        public static partial void Sent(ILogger logger, string domain);

        [LoggerMessage(2, LogLevel.Warning, "Mail to a recipient at {Domain} failed ({Error}: {Reason}); trying again in {Delay}")]
        public static partial void Retrying(ILogger logger, string domain, string error, string reason, TimeSpan delay);

        [LoggerMessage(3, LogLevel.Error, "Mail to a recipient at {Domain} given up after {Attempts} attempts ({Error}: {Reason})")]
        public static partial void GivenUp(ILogger logger, string domain, int attempts, string error, string reason);
    }
}
