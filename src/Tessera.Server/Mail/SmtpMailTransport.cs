using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Tessera.Server.Configuration;

namespace Tessera.Server.Mail;

/// <summary>
/// MailKit's SMTP client, one connection per message: account mail is rare, and a pooled connection would need its own
/// health checks for servers that drop idle sessions.
/// </summary>
internal sealed class SmtpMailTransport(SmtpOptions smtp) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
        await client.ConnectAsync(smtp.Host!, smtp.Port, SocketOptions(smtp.Security), cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>
    /// MailKit's Auto is the documented <c>auto</c>: implicit TLS on 465 (RFC 8314 §3.3), STARTTLS elsewhere when offered.
    /// Credentials never cross a plain connection by MailKit's own rule unless the operator chose <c>none</c>.
    /// </summary>
    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
