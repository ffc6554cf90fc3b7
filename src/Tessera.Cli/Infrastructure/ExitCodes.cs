namespace Tessera.Cli.Infrastructure;

/// <summary>Exit codes scripts can rely on (README lists them).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The server refused the request, or anything else went wrong.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>Not signed in, the sign-in was denied or expired, or the stored session no longer works.</summary>
    public const int NotSignedIn = 3;

    /// <summary>A token check failed: bad signature, expired, wrong audience or type, bad PAT checksum, inactive.</summary>
    public const int TokenRejected = 4;

    /// <summary>The server could not be reached, or did not answer like a Tessera server.</summary>
    public const int Unreachable = 5;
}

/// <summary>Ends a command with one sentence for the user and an exit code.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
