using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary>Options every command understands.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Issuer = new("--issuer")
    {
        Description = "The Tessera server (its issuer URL). Default: TESSERA_ISSUER, else the server you signed in to.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print data as JSON instead of tables and text.",
        Recursive = true,
    };
}
