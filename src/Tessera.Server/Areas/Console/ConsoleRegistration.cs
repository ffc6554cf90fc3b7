using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Tessera.Server.Areas.Console;

/// <summary>
/// The administration console: a Razor Pages area above the pages and the admin API, whose every page passes
/// <see cref="ConsoleAccessFilter"/> and whose every change runs the admin API's own handler, validation, privilege
/// ceiling and audit event.
/// </summary>
internal static class ConsoleRegistration
{
    public const string Area = "Console";

    public static IServiceCollection AddTesseraConsole(this IServiceCollection services)
    {
        services.AddScoped<ConsoleAccessFilter>();
        services.Configure<RazorPagesOptions>(pages =>
            pages.Conventions.AddAreaFolderApplicationModelConvention(Area, "/", model => model.Filters.Add(new ServiceFilterAttribute(typeof(ConsoleAccessFilter)))));
        return services;
    }
}
