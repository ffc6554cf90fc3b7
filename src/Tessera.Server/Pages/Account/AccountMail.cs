using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MimeKit;
using Tessera.Server.Configuration;
using Tessera.Server.Mail;
using Tessera.Server.Storage.Users;
using Tessera.Server.Vocabulary;

namespace Tessera.Server.Pages.Account;

/// <summary>
/// The account mails and their links. Links start with the configured issuer, never with the request's Host header:
/// a forged Host on "forgot password" would otherwise mail the victim a reset link to the attacker's site.
/// </summary>
internal sealed partial class AccountMail(MailQueue queue, IssuerUrls urls, IOptions<TesseraOptions> options, ILogger<AccountMail> logger)
{
    private const string DevelopmentSender = "Tessera <no-reply@localhost>";

    public void PasswordReset(TesseraUser user, string address, string code) => Send(address,
        "Reset your password",
        $"""
        Someone asked to reset the password of the account "{user.UserName}".
        To choose a new password, open this link within {Lifetime}:

        {Link(PagePaths.ResetPassword, user, code)}

        If it was not you, ignore this message: your password stays as it is.
        """);

    public void EmailVerification(TesseraUser user, string address, string code) => Send(address,
        "Confirm your e-mail address",
        $"""
        Confirm that {address} is the e-mail address of the account "{user.UserName}" by opening this link within {Lifetime}:

        {Link(PagePaths.ConfirmEmail, user, code)}
        """);

    public void EmailChange(TesseraUser user, string newAddress, string code) => Send(newAddress,
        "Confirm your new e-mail address",
        $"""
        The account "{user.UserName}" asked to use {newAddress} from now on. Confirm it by opening this link within {Lifetime}:

        {Link(PagePaths.ConfirmEmail, user, code, ("email", newAddress))}

        Until then the account keeps its current address.
        """);

    /// <summary>To the old address: if someone else changes it, the owner hears of it while the old address still works.</summary>
    public void EmailChangeNotice(TesseraUser user, string oldAddress, string newAddress) => Send(oldAddress,
        "Your e-mail address is being changed",
        $"""
        The account "{user.UserName}" asked to change its e-mail address to {newAddress}.
        If it was not you, sign in and change your password now.
        """);

    private string Lifetime => options.Value.Email.LinkLifetime.ToString("c");

    private string Link(string page, TesseraUser user, string code, params (string Name, string Value)[] more)
    {
        var query = new Dictionary<string, string?> { ["user"] = user.Id, ["code"] = code };
        foreach (var (name, value) in more) query[name] = value;
        return QueryHelpers.AddQueryString(urls.Url(page), query);
    }

    private void Send(string to, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.Email.Smtp.From ?? DevelopmentSender));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        if (!queue.Enqueue(message)) Log.QueueFull(logger);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The mail queue is full; an account mail was dropped")]
        public static partial void QueueFull(ILogger logger);
    }
}
