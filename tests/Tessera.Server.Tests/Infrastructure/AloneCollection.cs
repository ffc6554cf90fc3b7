namespace Tessera.Server.Tests.Infrastructure;

/// <summary>
/// Tests whose bound is a time under load (issue "Scale": a backlog gone within 12 s, no token request waiting more than
/// 100 ms): xUnit runs this collection after the parallel ones, alone, so another test's load does not decide them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
