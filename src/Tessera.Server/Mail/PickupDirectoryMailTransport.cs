using MimeKit;

namespace Tessera.Server.Mail;

/// <summary>
/// Without an SMTP server (a developer's first start), each message becomes an .eml file that any mail program opens.
/// The files hold live links: the directory is for development, and the start log says where it is.
/// </summary>
internal sealed class PickupDirectoryMailTransport(string directory) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        // Sortable by time, unique without coordination between nodes sharing the directory.
        var name = $"{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}.eml";
        // Written aside, then renamed: whoever watches the directory never opens a half-written message.
        var partial = Path.Combine(directory, name + ".partial");
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, Path.Combine(directory, name));
    }
}
