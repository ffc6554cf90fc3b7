using System.Reflection;

namespace Tessera.Gateway.Tests.Architecture;

/// <summary>
/// The arrows between Tessera's assemblies (docs/architecture.md, "Projects"): Tessera.Protocol at the bottom references
/// nothing of Tessera; the resource-server library only the protocol; the gateway the library and the protocol; the
/// server only the protocol. A wrong reference fails here, not in review.
/// </summary>
public sealed class ProjectLayerTests
{
    private static readonly Assembly Protocol = typeof(Tessera.Protocol.JwtTypes).Assembly;
    private static readonly Assembly Library = typeof(Tessera.AspNetCore.TesseraDefaults).Assembly;
    private static readonly Assembly Gateway = typeof(Tessera.Gateway.GatewayApp).Assembly;
    private static readonly Assembly Server = typeof(Tessera.Server.TesseraApp).Assembly;

    public static TheoryData<string, string[]> Layers => new()
    {
        { "Tessera.Protocol", [] },
        { "Tessera.AspNetCore", ["Tessera.Protocol"] },
        { "Tessera.Gateway", ["Tessera.AspNetCore", "Tessera.Protocol"] },
        { "Tessera.Server", ["Tessera.Protocol"] },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Each_assembly_references_only_the_tessera_assemblies_below_it(string assembly, string[] allowed)
    {
        var subject = new[] { Protocol, Library, Gateway, Server }.Single(a => a.GetName().Name == assembly);

        var references = TesseraReferences(subject);

        Assert.True(references.All(allowed.Contains), $"{assembly} references {string.Join(", ", references.Except(allowed))}, which it must not");
    }

    [Fact]
    public void The_references_are_read_from_the_compiled_assemblies()
    {
        // Not vacuous: the gateway's use of the library's handler and the server's of the PAT format are recorded.
        Assert.Contains("Tessera.AspNetCore", TesseraReferences(Gateway));
        Assert.Contains("Tessera.Protocol", TesseraReferences(Server));
    }

    /// <summary>What the compiler recorded (only assemblies a type of which is used), Tessera's own only.</summary>
    internal static string[] TesseraReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("Tessera.", StringComparison.Ordinal) || n == "tessera").Order()];
}
