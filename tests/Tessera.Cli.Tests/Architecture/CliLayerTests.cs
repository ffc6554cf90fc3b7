using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Tessera.Cli.Tests.Infrastructure;

namespace Tessera.Cli.Tests.Architecture;

/// <summary>
/// The CLI talks HTTP only: of Tessera's assemblies it references the wire vocabulary (Tessera.Protocol) and nothing
/// else — no server type, and no server source file compiled in by link.
/// </summary>
public sealed class CliLayerTests
{
    [Fact]
    public void The_cli_references_only_tessera_protocol_of_tesseras_assemblies()
    {
        using var file = File.OpenRead(TesseraCli.DllPath);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();

        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))
            .Where(n => n.StartsWith("Tessera.", StringComparison.Ordinal)).Order().ToArray();

        Assert.Equal(["Tessera.Protocol"], references);
    }

    [Fact]
    public void The_cli_project_compiles_no_file_of_another_project()
    {
        var project = Path.Combine(Path.GetDirectoryName(TesseraCli.DllPath)!, "..", "..", "..", "Tessera.Cli.csproj");

        Assert.DoesNotContain("<Compile Include=\"..", File.ReadAllText(project));
    }
}
