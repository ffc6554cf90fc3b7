using MimeKit;

namespace Tessera.Server.Configuration;

/// <summary>The SMTP settings that only make sense together: a sender for a server, a password for a username.</summary>
internal static class EmailRule
{
    public static void Validate(EmailOptions email, List<string> errors)
    {
        var smtp = email.Smtp;
        if (email.SendsBySmtp && !MailboxAddress.TryParse(smtp.From ?? "", out _))
            errors.Add("Tessera:Email:Smtp:From must be a mailbox such as 'Tessera <no-reply@example.com>' when Tessera:Email:Smtp:Host is set.");
        if (string.IsNullOrEmpty(smtp.Username) != string.IsNullOrEmpty(smtp.Password))
            errors.Add("Tessera:Email:Smtp:Username and Tessera:Email:Smtp:Password are set together or not at all.");
        if (!email.SendsBySmtp && string.IsNullOrWhiteSpace(email.PickupDirectory))
            errors.Add("Tessera:Email:PickupDirectory must name a directory when no Tessera:Email:Smtp:Host is set.");
    }
}
