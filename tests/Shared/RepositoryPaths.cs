namespace Portfolio.Sdk.Testing;

/// <summary>
/// Finds files of the repository from a test binary. Deterministic CI builds map source paths to <c>/_/</c>,
/// so tests cannot rely on <c>[CallerFilePath]</c>; they walk up from the binary to the solution file instead.
/// </summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portfolio.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Portfolio.Sdk.sln was not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
