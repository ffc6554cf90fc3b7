using System.Threading.Channels;
using MimeKit;

namespace Tessera.Server.Mail;

/// <summary>
/// Messages waiting for <see cref="MailDeliveryService"/>. A page only enqueues: a request that sends mail must take as
/// long as one that does not, or the time of "forgot password" would tell which addresses have accounts.
/// </summary>
internal sealed class MailQueue
{
    /// <summary>Bounded: a flood of requests must not grow memory; the rate limits keep real traffic far below.</summary>
    private const int Capacity = 1000;

    private readonly Channel<MimeMessage> _messages = Channel.CreateBounded<MimeMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>False when the queue is full (the message is dropped, and the caller logs it).</summary>
    public bool Enqueue(MimeMessage message) => _messages.Writer.TryWrite(message);

    internal ChannelReader<MimeMessage> Reader => _messages.Reader;
}
