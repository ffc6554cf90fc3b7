using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Tessera.Server.Protocol;
using Tessera.Server.Users;

namespace Tessera.Server.Admin;

/// <summary>Creating users through the admin API, the "admin command" way besides the import file.</summary>
internal static class AdminUsers
{
    public sealed record NewUser(string? Username, string? Password, string? Email, bool? EmailVerified, string? Name);

    /// <summary>POST /admin/users with a JSON body; Identity's password validators and hasher apply.</summary>
    public static async Task<IResult> CreateAsync(HttpRequest request, UserManager<TesseraUser> users)
    {
        NewUser? body;
        try
        {
            body = await request.ReadFromJsonAsync<NewUser>(new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            });
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return ProtocolResults.Error(OAuthError.InvalidRequest("the body must be a JSON object with username, password, email, emailVerified, name"));
        }
        if (string.IsNullOrWhiteSpace(body?.Username) || string.IsNullOrEmpty(body.Password))
            return ProtocolResults.Error(OAuthError.InvalidRequest("username and password are required"));
        if (body.Email is not null && !System.Net.Mail.MailAddress.TryCreate(body.Email, out _))
            return ProtocolResults.Error(OAuthError.InvalidRequest("email is not an e-mail address"));

        var user = new TesseraUser { UserName = body.Username.Trim(), Email = body.Email, EmailConfirmed = body.EmailVerified ?? false, Name = body.Name };
        var created = await users.CreateAsync(user, body.Password);
        if (!created.Succeeded)
            return ProtocolResults.Error(OAuthError.InvalidRequest(string.Join(" ", created.Errors.Select(e => e.Description))));

        return ProtocolResults.Json(json =>
        {
            json.WriteString("id", user.Id);
            json.WriteString("username", user.UserName);
        }, StatusCodes.Status201Created);
    }
}
