using Microsoft.Extensions.Options;

namespace Tessera.Server.Configuration;

/// <summary>Tessera:Email — how account mail (verification and password-reset links) leaves the server.</summary>
public sealed class EmailOptions
{
    /// <summary>The SMTP server. Without a <c>Host</c>, mail is written as .eml files to <see cref="PickupDirectory"/>.</summary>
    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where mail goes when no SMTP server is configured: one .eml file per message, for a developer to open.</summary>
    public string PickupDirectory { get; set; } = "./data/mail";

    /// <summary>How long a mailed link (password reset, e-mail verification, e-mail change) stays valid.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Tessera:Email:LinkLifetime must be between 1 second and 7 days.")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether mail goes to an SMTP server (else to <see cref="PickupDirectory"/>).</summary>
    internal bool SendsBySmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

/// <summary>Tessera:Email:Smtp — the submission server and the account it sends as.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>587 (submission) unless set; 465 is the usual port of <c>tls</c>.</summary>
    [SettingRange(1, 65535, ErrorMessage = "Tessera:Email:Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>Both or neither: with them the server authenticates (only over TLS, unless <c>Security</c> is <c>none</c>).</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Tessera &lt;no-reply@example.com&gt;</c>; required with a <c>Host</c>.</summary>
    public string? From { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS from the first byte on port 465; elsewhere STARTTLS when the server offers it.</summary>
    Auto,
    /// <summary>Plain text (a relay on the same host or a test server only).</summary>
    None,
    /// <summary>STARTTLS, and fail when the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (implicit TLS, RFC 8314).</summary>
    Tls,
}
