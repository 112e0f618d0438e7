using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>The package's public surface, its documented defaults, its options validation and its telemetry name.</summary>
public sealed class PackageConventionTests
{
    [Fact]
    public void PortfolioSdkAspNetCore_PublicApi_MatchesTheApprovedListing() =>
        PublicApiApproval.Verify(typeof(PortfolioEndpointOptions).Assembly, "tests", "Portfolio.Sdk.AspNetCore.Tests");

    [Fact]
    public void PublicTypes_AreDocumented() => PublicApiApproval.VerifyXmlDocs(typeof(PortfolioEndpointOptions).Assembly);

    [Fact]
    public void Options_HaveTheDocumentedDefaults()
    {
        var options = new PortfolioEndpointOptions();
        options.MaxFilesPerUpload.ShouldBe(5);
        options.MaxFormFieldBytes.ShouldBe(64 * 1024);
        options.UploadsPerWindow.ShouldBe(30);
        options.UploadWindow.ShouldBe(TimeSpan.FromMinutes(1));
        options.RequireAntiforgery.ShouldBeTrue();
        PortfolioEndpointDefaults.Prefix.ShouldBe("/portfolio");
        PortfolioEndpointDefaults.OpenApiDocumentName.ShouldBe("portfolio");
        PortfolioEndpointsTelemetry.Name.ShouldBe("Portfolio.Sdk.AspNetCore");
    }

    [Fact]
    public void BadOptions_StopTheStart_WithEveryProblem()
    {
        using var services = new ServiceCollection().AddLogging().AddPortfolioEndpoints(o => { o.MaxFilesPerUpload = 0; o.UploadsPerWindow = 0; o.UploadWindow = TimeSpan.Zero; }).BuildServiceProvider();
        var failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<PortfolioEndpointOptions>>().Value);
        failure.Failures.Count().ShouldBe(3);
    }

    [Fact]
    public void Options_BindFromTheirConfigurationSection()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portfolio:Endpoints:MaxFilesPerUpload"] = "3",
            ["Portfolio:Endpoints:UploadsPerWindow"] = "7",
            ["Portfolio:Endpoints:UploadWindow"] = "00:05:00",
            ["Portfolio:Endpoints:RequireAntiforgery"] = "false",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddPortfolioEndpoints(configuration.GetSection(PortfolioEndpointOptions.SectionName)).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<PortfolioEndpointOptions>>().Value;
        (options.MaxFilesPerUpload, options.UploadsPerWindow, options.UploadWindow, options.RequireAntiforgery).ShouldBe((3, 7, TimeSpan.FromMinutes(5), false));
    }

    [Fact]
    public void MapPortfolioEndpoints_WithoutAddPortfolioEndpoints_SaysWhatIsMissing()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        using var app = builder.Build();
        Should.Throw<InvalidOperationException>(() => Microsoft.AspNetCore.Builder.PortfolioEndpointRouteBuilderExtensions.MapPortfolioEndpoints(app)).Message.ShouldContain("AddPortfolioEndpoints");
    }
}
