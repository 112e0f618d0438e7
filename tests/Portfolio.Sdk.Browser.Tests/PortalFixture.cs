using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portfolio.Sdk.Storage;
using SchoolPortal;

namespace Portfolio.Sdk.Browser.Tests;

/// <summary>
/// The portal on a free loopback port, in process on Kestrel, seeded into a fresh data folder from a 30-student demo
/// SIS; and Chromium, when installed. Screenshots go to <c>TestResults/screenshots</c> under the test output.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private IPlaywright? _playwright;

    /// <summary>Gets the data folder.</summary>
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"school-portal-{Guid.NewGuid():N}");

    /// <summary>Gets the folder of the screenshots.</summary>
    public string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    /// <summary>Gets the portal's base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the browser (null when Chromium is missing).</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Gets the portal's services.</summary>
    internal IServiceProvider Services => _app!.Services;

    /// <summary>Gets the school the portal serves.</summary>
    internal DemoSchool School => Services.GetRequiredService<PortalSchool>().School;

    /// <summary>Gets the module.</summary>
    internal PortfolioModule Module => Services.GetRequiredService<PortfolioModule>();

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _app = await PortalApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--data", DataFolder, "--students", "30"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        if (BrowserRequirement.IsInstalled)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserRequirement.Executable, Headless = true });
        }
    }

    /// <summary>A fresh browser context (its own cookies: one signed-in user) on the portal.</summary>
    /// <returns>The context.</returns>
    public async Task<IBrowserContext> NewUserAsync()
    {
        BrowserRequirement.Require();
        var context = await Browser!.NewContextAsync(new() { BaseURL = BaseAddress.ToString().TrimEnd('/'), Locale = "zh-TW", ViewportSize = new() { Width = 1280, Height = 900 } });

        // Playwright's 30 s default is too short when the machine is shared (2 cores, load above 30 was seen).
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS; the temp folder is cleaned by the system.
        }
    }
}

/// <summary>One portal (one seeding) for every test class of this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPortal : ICollectionFixture<PortalFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "portal";
}
