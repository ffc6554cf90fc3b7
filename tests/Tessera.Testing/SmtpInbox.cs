using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using netDumbster.smtp;

namespace Tessera.Testing;

/// <summary>
/// A real SMTP server on 127.0.0.1 (netDumbster, in-process) that the Tessera server under test sends to over TCP with
/// MailKit, plain text (<c>Security none</c>). Messages are parsed with MimeKit, as a mail program would.
/// </summary>
public sealed partial class SmtpInbox : IDisposable
{
    private readonly SimpleSmtpServer _server;

    private SmtpInbox(SimpleSmtpServer server) => _server = server;

    public static SmtpInbox Start() =>
        new(Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build());

    public int Port => _server.Configuration.Port;

    /// <summary>The settings that point a Tessera server at this inbox.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Tessera:Email:Smtp:Host"] = "127.0.0.1",
        ["Tessera:Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tessera:Email:Smtp:Security"] = "none",
        ["Tessera:Email:Smtp:From"] = "Tessera <no-reply@tessera.test>",
    };

    /// <summary>Every message received so far for <paramref name="address"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        _server.ReceivedEmail
            .Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>Waits (at most 20 s) until <paramref name="address"/> has received <paramref name="count"/> messages; returns the last.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, int count = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var received = To(address);
            if (received.Count >= count) return received[count - 1];
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{address} received {received.Count} message(s), not {count}, within 20 s");
            }
        }
    }

    /// <summary>The first link in the message's text that starts with <paramref name="prefix"/>.</summary>
    public static Uri LinkIn(MimeMessage message, string prefix)
    {
        var match = Links().Matches(message.TextBody ?? "").Select(m => m.Value).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return match is null ? throw new InvalidOperationException($"no link starting with {prefix} in: {message.TextBody}") : new Uri(match);
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Links();

    public void Dispose() => _server.Dispose();
}
