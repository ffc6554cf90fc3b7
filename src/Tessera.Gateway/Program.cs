using Microsoft.Extensions.Options;
using Tessera.Gateway;

try
{
    await GatewayApp.Create(args).RunAsync();
}
catch (OptionsValidationException problems)
{
    // A configuration mistake ends the start with every problem listed, not a stack trace.
    Console.Error.WriteLine("Tessera.Gateway did not start:");
    foreach (var failure in problems.Failures) Console.Error.WriteLine($"  - {failure}");
    return 1;
}
return 0;
