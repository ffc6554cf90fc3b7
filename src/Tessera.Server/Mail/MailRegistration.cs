using Tessera.Server.Configuration;

namespace Tessera.Server.Mail;

/// <summary>The mail queue, its delivery service and the transport the configuration chooses.</summary>
internal static partial class MailRegistration
{
    public static IServiceCollection AddTesseraMail(this IServiceCollection services, EmailOptions email)
    {
        services.AddSingleton<MailQueue>();
        services.AddSingleton<IMailTransport>(email.SendsBySmtp
            ? new SmtpMailTransport(email.Smtp)
            : new PickupDirectoryMailTransport(Path.GetFullPath(email.PickupDirectory)));
        services.AddHostedService<MailDeliveryService>();
        return services;
    }

    /// <summary>The start log says where mail goes, so a developer without SMTP finds the links.</summary>
    public static void LogAtStart(EmailOptions email, ILogger logger)
    {
        if (email.SendsBySmtp) Log.SendingBySmtp(logger, email.Smtp.Host!, email.Smtp.Port, email.Smtp.Security);
        else Log.WritingToDirectory(logger, Path.GetFullPath(email.PickupDirectory));
    }

    private static partial class Log
    {
        [LoggerMessage(5, LogLevel.Information, "Mail is sent through the SMTP server {Host}:{Port} (security {Security})")]
        public static partial void SendingBySmtp(ILogger logger, string host, int port, SmtpSecurity security);

        [LoggerMessage(6, LogLevel.Warning, "No SMTP server is configured (Tessera:Email:Smtp:Host): mail is written as .eml files to {Directory}")]
        public static partial void WritingToDirectory(ILogger logger, string directory);
    }
}
