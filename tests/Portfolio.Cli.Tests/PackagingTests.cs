using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Portfolio.Sdk.Testing;

namespace Portfolio.Cli.Tests;

/// <summary>
/// The packages as a user gets them: packed from this build into a local folder feed, installed into a scratch
/// project outside the repository, and the quick start built and run against them.
/// </summary>
public sealed class PackagingTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8 };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task PackedPackages_InstallFromAFolderFeed_AndTheQuickStartBuildsAndRunsAgainstThem()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var version = $"0.1.0-pkgtest.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var root = Directory.CreateTempSubdirectory("portfolio-packaging-").FullName;
        try
        {
            var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
            foreach (var project in new[] { "Portfolio.Sdk", "Portfolio.Sdk.Sis" })
            {
                var (packed, log) = await RunAsync(RepositoryPaths.Root, "pack", RepositoryPaths.Combine("src", project, project + ".csproj"), "-c", configuration, "--no-build", "-o", feed, $"-p:Version={version}", "-p:ContinuousIntegrationBuild=true");
                packed.ShouldBe(0, log);
            }

            // The package carries what a user needs: README, XML docs, license and repository metadata; symbols beside it.
            using (var package = ZipFile.OpenRead(Path.Combine(feed, $"Portfolio.Sdk.{version}.nupkg")))
            {
                var entries = package.Entries.Select(e => e.FullName).ToList();
                entries.ShouldContain("README.md");
                entries.ShouldContain("lib/net10.0/Portfolio.Sdk.dll");
                entries.ShouldContain("lib/net10.0/Portfolio.Sdk.xml");
                using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
                var metadata = XDocument.Load(nuspec).Root!.Elements().First();
                var ns = metadata.Name.Namespace;
                metadata.Element(ns + "license")!.Value.ShouldBe("MIT");
                metadata.Element(ns + "readme")!.Value.ShouldBe("README.md");
                metadata.Element(ns + "repository")!.Attribute("url")!.Value.ShouldStartWith("https://github.com/");
            }

            File.Exists(Path.Combine(feed, $"Portfolio.Sdk.{version}.snupkg")).ShouldBeTrue();

            var scratch = Directory.CreateDirectory(Path.Combine(root, "scratch")).FullName;
            await File.WriteAllTextAsync(Path.Combine(scratch, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(scratch, "QuickStart.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Portfolio.Sdk.Sis" Version="{version}" />
                    <PackageReference Include="Microsoft.Data.Sqlite" Version="10.0.14" />
                    <PackageReference Include="SQLitePCLRaw.bundle_e_sqlite3" Version="3.0.3" />
                  </ItemGroup>
                </Project>
                """, TestContext.Current.CancellationToken);
            File.Copy(RepositoryPaths.Combine("samples", "QuickStart", "Program.cs"), Path.Combine(scratch, "Program.cs"));

            var (built, buildLog) = await RunAsync(scratch, "build", "-c", "Release");
            built.ShouldBe(0, buildLog);
            var (ran, output) = await RunAsync(scratch, "run", "-c", "Release", "--no-build");
            ran.ShouldBe(0, output);
            output.ShouldContain("valid, ready to submit");
            output.ShouldContain("PF2102"); // the demo SIS's dirty rows, reported through the packaged SDK
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
