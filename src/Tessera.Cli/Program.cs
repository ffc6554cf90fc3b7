using System.CommandLine;
using Tessera.Cli.Commands;
using Tessera.Cli.Infrastructure;

// tessera: the command-line tool of a Tessera server. Exit codes: see Infrastructure/ExitCodes.cs and the README.
var root = new RootCommand("tessera: sign in to a Tessera server, print and decode tokens, manage personal access tokens, administer the server.")
{
    CommonOptions.Issuer,
    CommonOptions.Json,
    LoginCommands.Login(),
    LoginCommands.Logout(),
    LoginCommands.Token(),
    DecodeCommand.Create(),
    PatCommands.Create(),
};
foreach (var admin in AdminCommands.Create()) root.Subcommands.Add(admin);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // The most telling error first: an unknown word says more than the missing command it caused.
    var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
    Output.Error(error.Message.TrimEnd('.') + ". See 'tessera --help'.");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliException e)
{
    Output.Error(e.Message);
    return e.ExitCode;
}
catch (IOException e)
{
    Output.Error($"A file could not be read or written: {e.Message.TrimEnd('.')}.");
    return ExitCodes.Failed;
}
catch (UnauthorizedAccessException e)
{
    Output.Error($"Permission denied: {e.Message.TrimEnd('.')}.");
    return ExitCodes.Failed;
}
