using BenchmarkDotNet.Running;
using Tessera.Benchmarks;

// hit-path-ab OTHER_DLL [ROUNDS]: this build's cache-hit path against another build's, interleaved (HitPathAB.cs).
if (args is ["hit-path-ab", var other, ..]) return await HitPathAB.RunAsync(other, args.Length > 2 ? int.Parse(args[2]) : 40);

// cache-memory [ROWS]: managed bytes per row of the opaque-token and session caches (CacheMemory.cs).
if (args is ["cache-memory", ..]) return CacheMemory.Run(args.Length > 1 ? int.Parse(args[1]) : 50_000);

// console-users [USERS] [ROUNDS]: the console's user pages with that many users on SQLite (ConsoleUserPages.cs).
if (args is ["console-users", ..]) return await ConsoleUserPages.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 100_000, args.Length > 2 ? int.Parse(args[2]) : 50);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
