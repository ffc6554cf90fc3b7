namespace Tessera.Server.Storage;

/// <summary>The database did not answer within Tessera:Database:StartupTimeout; the message is one line for the operator.</summary>
public sealed class DatabaseUnreachableException(string message, Exception inner) : Exception(message, inner);
