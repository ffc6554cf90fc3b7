using Microsoft.Extensions.Options;
using Tessera.Server;
using Tessera.Server.Import;

try
{
    var app = await TesseraApp.CreateAsync(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is ImportException or OptionsValidationException or Tessera.Server.Storage.DatabaseUnreachableException)
{
    // A configuration mistake is the operator's to fix: say what it is, without a stack trace.
    Console.Error.WriteLine($"tessera: cannot start. {e.Message}");
    return 2;
}
