using System.Reflection;
using PublicApiGenerator;

namespace Portfolio.Sdk.Testing;

/// <summary>
/// Compares an assembly's public surface, as PublicApiGenerator renders it (nullability and attributes included, so
/// either change is an API change), with its checked-in approved listing. With
/// PORTFOLIO_ACCEPT_API=1 the listing is rewritten instead; on a mismatch the new surface is written beside it as
/// <c>.received.txt</c> for a diff.
/// </summary>
public static class PublicApiApproval
{
    // Assembly-level attributes carry build metadata (InternalsVisibleTo, target framework), not API; the compiler's
    // state-machine attributes name generated types (<ReadAuditAsync>d__22) that move whenever a member is added.
    private static readonly ApiGeneratorOptions Options = new()
    {
        IncludeAssemblyAttributes = false,
        ExcludeAttributes =
        [
            "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
            "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
            "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        ],
    };

    /// <summary>Asserts that the surface matches <c>&lt;folder&gt;/&lt;assembly name&gt;.approved.txt</c>.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <param name="folder">The listing's folder, relative to the repository root.</param>
    public static void Verify(Assembly assembly, params string[] folder)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var actual = assembly.GeneratePublicApi(Options).ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(RepositoryPaths.Combine(folder), assembly.GetName().Name + ".approved.txt");
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            File.WriteAllText(Path.ChangeExtension(approvedPath, ".received.txt"), actual);
        }

        actual.ShouldBe(approved, $"The public API changed. Compare {Path.GetFileName(approvedPath)} with the .received.txt beside it; if intended, rerun with PORTFOLIO_ACCEPT_API=1 and add a CHANGELOG entry.");
    }

    /// <summary>Asserts that every exported type has an entry in the assembly's XML documentation file.</summary>
    /// <param name="assembly">The assembly.</param>
    public static void VerifyXmlDocs(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        File.Exists(xml).ShouldBeTrue($"{Path.GetFileName(xml)} was not generated.");
        var documented = System.Xml.Linq.XDocument.Load(xml).Descendants("member").Select(m => m.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        assembly.GetExportedTypes().Where(t => !documented.Contains("T:" + t.FullName)).Select(t => t.FullName).ShouldBeEmpty();
    }
}
