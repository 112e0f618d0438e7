using System.Data.Common;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal;

/// <summary>The portal's settings: <c>--data</c> (the data folder) and <c>--students</c> (the demo SIS's size).</summary>
internal sealed class PortalOptions
{
    /// <summary>Gets or sets the data folder: the store, uploaded files, the demo SIS and the ledger (default: the user's
    /// local application data, <c>~/.local/share/SchoolPortal</c> on Linux).</summary>
    public string DataFolder { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "SchoolPortal");

    /// <summary>Gets or sets the number of demo SIS students.</summary>
    public int Students { get; set; } = 120;
}

/// <summary>The school the portal serves, read from the demo SIS when the portal starts.</summary>
internal sealed class PortalSchool
{
    private DemoSchool? _school;

    /// <summary>Gets the school (after start-up).</summary>
    public DemoSchool School => _school ?? throw new InvalidOperationException("The portal has not been seeded yet.");

    /// <summary>Sets the school once.</summary>
    /// <param name="school">The school.</param>
    public void Set(DemoSchool school) => _school = school;
}

/// <summary>
/// The reference school portal (學習歷程檔案 校內平台): Razor Pages on <see cref="PortfolioModule"/> in process, an
/// embedded SQLite store and file store under the data folder, a demo cookie sign-in, and an authorization policy per
/// area (學生, 授課教師, 導師, 系統管理者).
/// </summary>
internal static class PortalApp
{
    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Where the module's HTTP endpoints are mounted.</summary>
    public const string PortalEndpointsPrefix = "/portfolio";

    /// <summary>Builds the portal and seeds it (first start) or reopens it (every later start).</summary>
    /// <param name="args">The command line: <c>--urls</c>, <c>--data</c>, <c>--students</c>, any ASP.NET Core setting.</param>
    /// <param name="configure">Changes to the services (tests: a clock).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The application, not yet running.</returns>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(PortalApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var options = new PortalOptions();
        options.DataFolder = builder.Configuration["data"] ?? options.DataFolder;
        options.Students = int.TryParse(builder.Configuration["students"], System.Globalization.CultureInfo.InvariantCulture, out var students) && students > 0 ? students : options.Students;
        var folder = Directory.CreateDirectory(options.DataFolder).FullName;
        options.DataFolder = folder;

        builder.Services.AddSingleton(options);
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "portfolio.db"), Pooling = false }.ToString()));
        builder.Services.AddPortfolioDatabase(SqlDialect.Sqlite);
        builder.Services.AddPortfolioModule(o => o.FilesRoot = Path.Combine(folder, "files"));
        builder.Services.AddPortfolioRedaction();
        builder.Services.AddSingleton<PortalReceipts>();
        builder.Services.AddSingleton<PortalSchool>();
        builder.Services.AddSingleton<DemoActorResolver>();

        // The module's HTTP endpoints (Portfolio.Sdk.AspNetCore) under /portfolio, for a front end or another system:
        // the same actor mapping as the pages, the permission matrix as authorization policies, problem details.
        builder.Services.AddPortfolioEndpoints();
        builder.Services.AddPortfolioActorResolver<DemoActorResolver>();
        configure?.Invoke(builder.Services);

        // Uploads: the form may carry a file up to the policy's largest (media) limit; the module checks each file's
        // type by content and its size for the school year before it is stored.
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = Portfolio.Sdk.Policy.PolicyDefaults.MediaMaxBytes + (64 * 1024));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = ".SchoolPortal.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = "/Account/SignIn";
            o.AccessDeniedPath = "/Account/Denied";
            o.SlidingExpiration = true;
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Student, p => p.RequireRole(nameof(PortfolioRole.Student)).RequireClaim(DemoActorResolver.StudentClaim))
            .AddPolicy(PortalPolicies.Teacher, p => p.RequireRole(nameof(PortfolioRole.CourseTeacher)))
            .AddPolicy(PortalPolicies.Homeroom, p => p.RequireRole(nameof(PortfolioRole.HomeroomTeacher)))
            .AddPolicy(PortalPolicies.Administrator, p => p.RequireRole(nameof(PortfolioRole.SystemAdministrator)));
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Student", PortalPolicies.Student);
            o.Conventions.AuthorizeFolder("/Teacher", PortalPolicies.Teacher);
            o.Conventions.AuthorizeFolder("/Homeroom", PortalPolicies.Homeroom);
            o.Conventions.AuthorizeFolder("/Admin", PortalPolicies.Administrator);
            o.Conventions.AuthorizeFolder("/Files");
            o.Conventions.AllowAnonymousToFolder("/Account");
        });

        var app = builder.Build();
        var school = await PortalSeeder.SeedAsync(app.Services, options, app.Logger, cancellationToken).ConfigureAwait(false);
        app.Services.GetRequiredService<PortalSchool>().Set(school);

        // The pages get the portal's error pages; the endpoints under /portfolio answer problem details themselves.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments(PortalEndpointsPrefix, StringComparison.Ordinal), pages =>
        {
            pages.UseExceptionHandler("/Error");
            pages.UseStatusCodePagesWithReExecute("/Status/{0}");
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapPortfolioEndpoints(PortalEndpointsPrefix);
        return app;
    }
}

/// <summary>The portal's authorization policies, one per area.</summary>
internal static class PortalPolicies
{
    /// <summary>學生: their own items and receipts.</summary>
    public const string Student = "student";

    /// <summary>授課教師: their 待認證 queue.</summary>
    public const string Teacher = "teacher";

    /// <summary>導師: their classes' status.</summary>
    public const string Homeroom = "homeroom";

    /// <summary>系統管理者: the school's statistics.</summary>
    public const string Administrator = "administrator";
}

/// <summary>How the pages show people and refusals without personal data.</summary>
internal static class PortalText
{
    /// <summary>A student's label for staff pages: class, seat and masked name, or the masked key when unknown.</summary>
    /// <param name="school">The school.</param>
    /// <param name="studentKey">The student's key.</param>
    /// <returns>The label.</returns>
    public static string StudentLabel(DemoSchool school, string studentKey) =>
        school.Students.TryGetValue(studentKey, out var s) ? s.Label : Redaction.MaskIdentifier(studentKey);

    /// <summary>The Chinese name of a certification state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string StateName(CertificationState state) => state switch
    {
        CertificationState.Draft => "未送審",
        CertificationState.Pending => "待認證",
        CertificationState.Certified => "認證通過",
        CertificationState.Rejected => "認證不通過",
        _ => state.ToString(),
    };

    /// <summary>A subject's name from the school's courses, or the course code.</summary>
    /// <param name="school">The school.</param>
    /// <param name="courseCode">The course code.</param>
    /// <returns>The name.</returns>
    public static string SubjectOf(DemoSchool school, string courseCode) =>
        school.Staff.TryGetValue(DemoSchool.TeacherOf(Portfolio.Sdk.Courses.CourseCode.Parse(courseCode)), out var t) ? t.DisplayName.Replace("科 授課教師", string.Empty, StringComparison.Ordinal) : courseCode;
}
