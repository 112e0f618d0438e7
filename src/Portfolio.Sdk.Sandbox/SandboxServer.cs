using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Sandbox;

/// <summary>
/// Builds and runs the sandbox of the central-database gateway (中央資料庫閘道模擬). From a terminal:
/// <c>dotnet run --project src/Portfolio.Sdk.Sandbox -- --urls http://127.0.0.1:5080 --Sandbox:Faults:Rate=0.2</c>.
/// In a test: <c>await using var sandbox = await SandboxServer.StartAsync();</c> then point the client at
/// <see cref="RunningSandbox.BaseAddress"/>.
/// </summary>
public static class SandboxServer
{
    /// <summary>Builds the sandbox application; <c>Sandbox</c> configuration (command line, environment, appsettings) is bound over <paramref name="options"/>.</summary>
    /// <param name="args">Command-line arguments (ASP.NET Core's, e.g. <c>--urls</c>).</param>
    /// <param name="options">The settings; defaults when <see langword="null"/>.</param>
    /// <param name="clock">The clock for receipt times; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The application, not started.</returns>
    /// <exception cref="InvalidOperationException">
    /// No access token and <see cref="SandboxOptions.AllowAnonymous"/> not set; or anonymous on an address that is not loopback.
    /// </exception>
    public static WebApplication Build(string[]? args = null, SandboxOptions? options = null, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [], ApplicationName = typeof(SandboxServer).Assembly.GetName().Name });
        options ??= new SandboxOptions();
        builder.Configuration.GetSection(SandboxOptions.SectionName).Bind(options);
        if (string.IsNullOrEmpty(options.AccessToken))
        {
            if (!options.AllowAnonymous)
            {
                throw new InvalidOperationException("沙箱需要存取權杖（--token 或 Sandbox:AccessToken），或明確指定不驗證（--no-auth 或 Sandbox:AllowAnonymous=true，只在本機監聽）/ "
                    + "the sandbox needs an access token (--token or Sandbox:AccessToken), or explicitly no authentication (--no-auth or Sandbox:AllowAnonymous=true, loopback only).");
            }

            var urls = (builder.Configuration["urls"] ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (urls.FirstOrDefault(u => !IsLoopback(u)) is { } open)
            {
                throw new InvalidOperationException($"不驗證時只能在本機監聽，{open} 不是本機位址 / without authentication the sandbox listens on loopback only; {open} is not loopback.");
            }
        }

        if (builder.Configuration["Logging:LogLevel:Default"] is null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        // Logs go to standard error, so that a command's --json output on standard output stays valid JSON.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        var store = options.DataFile is { Length: > 0 } dataFile ? SandboxStore.Open(dataFile) : new SandboxStore();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddSingleton<SandboxEndpoints>();
        builder.Services.AddSingleton(sp => new SandboxFaults(options.Faults, store));

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(store.Dispose);
        app.UseExceptionHandler(error => error.Run(context =>
        {
            var cause = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var status = cause is BadHttpRequestException bad ? bad.StatusCode : 500;
            var diagnostic = DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnexpectedResponse, new DiagnosticLocation(Source: "sandbox"), status);
            return SandboxEndpoints.ProblemAsync(context, status, status == 500 ? "Internal error" : "Bad request", [diagnostic]);
        }));
        var faults = app.Services.GetRequiredService<SandboxFaults>();
        app.Use((context, next) => faults.InvokeAsync(context, next));
        var endpoints = app.Services.GetRequiredService<SandboxEndpoints>();
        app.MapPost("/" + GatewayProtocol.SubmissionsPath, endpoints.SubmitAsync);
        app.MapGet("/" + GatewayProtocol.SubmissionsPath + "/{key}", (HttpContext c, string key) => endpoints.GetSubmissionAsync(c, key));
        app.MapGet("/" + GatewayProtocol.ReceiptsPath, endpoints.ListReceiptsAsync);
        app.MapGet("/" + GatewayProtocol.ReceiptsPath + "/{id}", (HttpContext c, string id) => endpoints.GetReceiptAsync(c, id));
        app.MapGet("/health", () => "ok");
        app.MapFallback(context => SandboxEndpoints.ProblemAsync(context, 404, "Not found",
            [DiagnosticCatalog.Create(DiagnosticCodes.GatewayNotFound, new DiagnosticLocation(Source: "request", Path: context.Request.Path), "路徑", context.Request.Path.ToString(), "path")]));
        return app;
    }

    /// <summary>Starts a sandbox on a free loopback port.</summary>
    /// <param name="options">The settings; defaults when <see langword="null"/>.</param>
    /// <param name="url">Where to listen; a free loopback port by default.</param>
    /// <param name="clock">The clock for receipt times.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running sandbox; dispose it to stop.</returns>
    public static async Task<RunningSandbox> StartAsync(SandboxOptions? options = null, string url = "http://127.0.0.1:0", TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        if (string.IsNullOrEmpty(options.AccessToken) && IsLoopback(url))
        {
            // In process on loopback (tests, the demo): no token needed.
            options.AllowAnonymous = true;
        }

        var app = Build(["--urls", url], options, clock);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new RunningSandbox(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <summary>Whether a listening address is loopback only (<c>127.0.0.0/8</c>, <c>[::1]</c> or <c>localhost</c>).</summary>
    /// <param name="url">An address such as <c>http://127.0.0.1:5080</c>.</param>
    /// <returns><see langword="true"/> for a loopback address.</returns>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }
}

/// <summary>A sandbox running in this process.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningSandbox(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Gets the base address, ending in <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets what the sandbox holds.</summary>
    public SandboxStore Store => _app.Services.GetRequiredService<SandboxStore>();

    /// <summary>Gets the settings; fault settings may be changed while it runs.</summary>
    public SandboxOptions Options => _app.Services.GetRequiredService<SandboxOptions>();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
