using MimeKit;

namespace Tessera.Server.Mail;

/// <summary>Hands one finished message on: to an SMTP server, or to a directory when none is configured.</summary>
internal interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
