namespace Tessera.Server.Areas.Console.Pages;

/// <summary>
/// Where an administrator whose sign-in gave no second factor, and who has none to give, is sent: the console opens
/// only after a sign-in with one (the admin API refuses a person's token without it too).
/// </summary>
internal sealed class SecondFactorModel : ConsolePageModel
{
    public void OnGet()
    {
        // Nothing of the console is shown here, and the status says so.
        Response.StatusCode = StatusCodes.Status403Forbidden;
    }
}
