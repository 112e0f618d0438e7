using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.AspNetCore;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>
/// A real Kestrel server on a loopback port with the portfolio endpoints over a real store (SQLite file or a PostgreSQL
/// schema of its own). Users sign in by a test header naming an actor registered here; every log record is collected.
/// </summary>
internal sealed class PortalServer : IAsyncDisposable
{
    public const string ActorHeader = "X-Test-Actor";

    // A valid 身分證號 shape, so the privacy checks look for exactly what a school would hold.
    public const string StudentKey = "A123456789";

    public static readonly SchoolYear Year = new(113);

    public static readonly CourseCode MathCourse = CourseCode.Parse("113060322H1110101010101");

    // 2024-10-15 10:00 in Taiwan: school year 113, first term.
    public static readonly DateTimeOffset Now = new(2024, 10, 15, 2, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly TestSisDatabase? _database;
    private readonly string _files;

    private PortalServer(WebApplication app, TestSisDatabase? database, string files, Uri address)
    {
        _app = app;
        _database = database;
        _files = files;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public PortfolioModule Module => _app.Services.GetRequiredService<PortfolioModule>();

    public ActorDirectory Actors => _app.Services.GetRequiredService<ActorDirectory>();

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public EndpointDataSource Endpoints => _app.Services.GetRequiredService<EndpointDataSource>();

    public static async Task<PortalServer> StartAsync(string provider, Action<PortfolioEndpointOptions>? configure = null, DbDataSource? throwingDataSource = null, Action<IServiceCollection>? services = null)
    {
        var database = throwingDataSource is null ? await TestSisDatabase.OpenAsync(provider) : null;
        var dataSource = throwingDataSource ?? database!.DataSource;
        var dialect = database?.Dialect ?? SqlDialect.Sqlite;
        var clock = new FakeTimeProvider(Now);
        var store = new PortfolioStore(dataSource, dialect, clock);
        if (throwingDataSource is null)
        {
            await store.CreateSchemaAsync(TestContext.Current.CancellationToken);
        }

        var files = Path.Combine(Path.GetTempPath(), $"portal-files-{Guid.NewGuid():N}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new FileSystemContentStore(files));
        builder.Services.AddSingleton(sp => new PortfolioModule(store, sp.GetRequiredService<FileSystemContentStore>(), PortfolioPolicy.Default, clock));
        builder.Services.AddSingleton<ActorDirectory>();
        builder.Services.AddAuthentication(TestAuthentication.Name).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(TestAuthentication.Name, null);
        builder.Services.AddPortfolioEndpoints(configure);
        builder.Services.AddPortfolioActorResolver<DirectoryResolver>();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPortfolioEndpoints();
        app.MapOpenApi();
        app.MapGet("/test/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Json(new { tokens.HeaderName, tokens.FormFieldName, tokens.RequestToken });
        }).ExcludeFromDescription();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PortalServer(app, database, files, new Uri(address));
    }

    /// <summary>A client signed in as <paramref name="actor"/> (registered under its user id), with its own cookies.</summary>
    public UserClient As(PortfolioActor actor)
    {
        Actors.Add(actor);
        return new UserClient(this, actor.UserId);
    }

    /// <summary>A client with no signed-in user.</summary>
    public UserClient Anonymous() => new(this, null);

    public async Task<CourseOutcome> CertifiedOutcomeAsync(PortfolioActor student, PortfolioActor teacher)
    {
        var token = TestContext.Current.CancellationToken;
        var uploaded = await Module.UploadCourseOutcomeAsync(student, new CourseOutcomeUpload
        {
            StudentKey = student.StudentKey!,
            ClassName = "101",
            Term = SchoolTerm.Parse("113-1"),
            CourseCode = MathCourse,
            Summary = "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。",
            CertifyingTeacher = teacher.UserId,
            Files = [Pdf()],
        }, token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
        var sent = await Module.SendForCertificationAsync(student, uploaded.Value!.Id, uploaded.Value.Version, token);
        var certified = await Module.CertifyAsync(teacher, sent.Value!.Id, sent.Value.Version, token);
        certified.Succeeded.ShouldBeTrue(certified.ToString());
        await Module.Store.RecordCreditedCoursesAsync(student.StudentKey!, "101", certified.Value!.Term, [MathCourse], token);
        return certified.Value;
    }

    public static MemoryStream Pdf(string text = "work") => new(Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text} {Guid.NewGuid()}\n%%EOF\n"));

    public static PortfolioActor Student(string key = StudentKey, string userId = "u-student") =>
        PortfolioActor.StudentOf(userId, key) with { Classes = new HashSet<string> { "101" } };

    public static PortfolioActor Teacher(string userId = "t-math") => new(userId, new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });

    public static PortfolioActor Homeroom(string userId = "h-101") => new(userId, new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };

    public static PortfolioActor Administrator(string userId = "admin") => new(userId, new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Directory.Exists(_files))
        {
            Directory.Delete(_files, recursive: true);
        }
    }

    /// <summary>The actors the test signed in, by user id.</summary>
    internal sealed class ActorDirectory
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PortfolioActor> _actors = new(StringComparer.Ordinal);

        public void Add(PortfolioActor actor) => _actors[actor.UserId] = actor;

        public PortfolioActor? Find(string userId) => _actors.GetValueOrDefault(userId);
    }

    /// <summary>The host's seam under test: the signed-in user's name claim → the registered actor.</summary>
    internal sealed class DirectoryResolver(ActorDirectory directory) : IPortfolioActorResolver
    {
        public ValueTask<PortfolioActor?> ResolveAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
            ValueTask.FromResult(user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? directory.Find(id) : null);
    }

    /// <summary>Signs a request in as the user its header names (the host's real identity is out of scope).</summary>
    internal sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[ActorHeader] is not [{ Length: > 0 } id])
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, id)], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}

/// <summary>An HTTP client of one user, with its cookies (antiforgery) and helpers for JSON and multipart calls.</summary>
internal sealed class UserClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly CookieContainer _cookies = new();
    private readonly Uri _address;
    private string? _token;

    public UserClient(PortalServer server, string? userId)
    {
        _address = server.Address;
        _client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, UseCookies = true }) { BaseAddress = server.Address };
        if (userId is not null)
        {
            _client.DefaultRequestHeaders.Add(PortalServer.ActorHeader, userId);
        }
    }

    public HttpClient Http => _client;

    public string CookieHeader => _cookies.GetCookieHeader(_address);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public async Task<string> AntiforgeryTokenAsync()
    {
        if (_token is null)
        {
            using var response = await _client.GetAsync(new Uri("/test/antiforgery", UriKind.Relative), Token);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
            _token = json.RootElement.GetProperty("requestToken").GetString();
        }

        return _token!;
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = JsonContent(json);
        }

        return await Reply.ReadAsync(await _client.SendAsync(request, Token));
    }

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Reply> PostAsync(string path, object json) => SendAsync(HttpMethod.Post, path, json);

    /// <summary>A multipart form post (or put) with the antiforgery token in the header, unless <paramref name="withToken"/> is off.</summary>
    public async Task<Reply> FormAsync(HttpMethod method, string path, IReadOnlyDictionary<string, string> fields, IReadOnlyList<(string Name, byte[] Content, string ContentType)> files, bool withToken = true, bool tokenAsField = false)
    {
        using var form = new MultipartFormDataContent();
        var token = withToken ? await AntiforgeryTokenAsync() : null;
        if (token is not null && tokenAsField)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var (name, content, contentType) in files)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            form.Add(file, "files", name);
        }

        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = form };
        if (token is not null && !tokenAsField)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        return await Reply.ReadAsync(await _client.SendAsync(request, Token));
    }

    public Task<Reply> UploadCourseOutcomeAsync(byte[]? file = null, string teacher = "t-math", string summary = "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。") =>
        FormAsync(HttpMethod.Post, "/portfolio/course-outcomes", new Dictionary<string, string>
        {
            ["term"] = "113-1",
            ["courseCode"] = PortalServer.MathCourse.Value,
            ["summary"] = summary,
            ["certifyingTeacher"] = teacher,
        }, [("報告.pdf", file ?? PortalServer.Pdf().ToArray(), "application/pdf")]);

    public static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    public void Dispose() => _client.Dispose();
}

/// <summary>A response read whole: status, body text, and the body as JSON when it is.</summary>
internal sealed record Reply(HttpStatusCode Status, string Body, string? MediaType, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Code => MediaType == "application/problem+json" ? Json.GetProperty("code").GetString() : null;

    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Content.Headers.ContentType?.MediaType, response.Headers);
        }
    }

    public override string ToString() => $"{(int)Status} {Body}";
}
