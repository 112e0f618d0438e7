using System.Data;
using System.Data.Common;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Calendar;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>No unmasked 身分證號 in any body or log record; no stack trace in any answer, even when the store throws.</summary>
public sealed class PrivacyAndFailureTests
{
    [Fact]
    public async Task NoResponseBodyOrLogRecord_CarriesTheStudentsId()
    {
        await using var server = await PortalServer.StartAsync("sqlite", o => o.UploadsPerWindow = 1000);
        var actor = PortalServer.Student();
        using var student = server.As(actor);
        using var teacher = server.As(PortalServer.Teacher());
        using var homeroom = server.As(PortalServer.Homeroom());
        using var admin = server.As(PortalServer.Administrator());
        var bodies = new List<string>();
        var uploaded = await student.UploadCourseOutcomeAsync();
        var id = uploaded.Json.GetProperty("id").GetGuid();
        bodies.Add(uploaded.Body);
        bodies.Add((await student.PostAsync($"/portfolio/course-outcomes/{id}/send", new { version = 1 })).Body);
        bodies.Add((await student.PostAsync($"/portfolio/course-outcomes/{id}/send", new { version = 1 })).Body);
        bodies.Add((await teacher.GetAsync("/portfolio/certifications/pending")).Body);
        bodies.Add((await teacher.PostAsync($"/portfolio/course-outcomes/{id}/certify", new { version = 2 })).Body);
        bodies.Add((await student.PostAsync($"/portfolio/course-outcomes/{id}/select", new { version = 3, year = 113 })).Body);
        bodies.Add((await student.GetAsync("/portfolio/items?year=113")).Body);
        bodies.Add((await homeroom.GetAsync("/portfolio/classes/101/status?year=113")).Body);
        bodies.Add((await admin.GetAsync("/portfolio/statistics?year=113")).Body);
        bodies.Add((await student.UploadCourseOutcomeAsync("MZ\u0090 not a pdf"u8.ToArray())).Body);
        bodies.Add((await student.FormAsync(HttpMethod.Post, "/portfolio/performances", new Dictionary<string, string> { ["category"] = "performance-competition", ["date"] = "2024-09-01", ["summary"] = PortalServer.StudentKey }, [])).Body);
        bodies.Add((await student.PostAsync("/portfolio/receipts/k/dispute", new { note = "A123456789 有誤" })).Body);
        bodies.Add((await server.Anonymous().GetAsync("/portfolio/items?year=113")).Body);

        bodies.Count.ShouldBe(13);
        bodies.ShouldAllBe(b => !b.Contains(PortalServer.StudentKey, StringComparison.OrdinalIgnoreCase));
        bodies[0].ShouldContain("A12****789");
        var records = server.Logs.GetSnapshot();
        records.Count.ShouldBeGreaterThan(10, "the host logs at Trace, so every request leaves records to check");
        var leaked = records.Where(r => (r.Message + r.Exception + string.Join(";", r.StructuredState?.Select(p => p.Value) ?? [])).Contains(PortalServer.StudentKey, StringComparison.OrdinalIgnoreCase)).Select(r => r.Message).ToList();
        leaked.ShouldBeEmpty();
    }

    [Fact]
    public async Task AThrowingStore_IsA503ProblemWithoutStackTraceOrId_AndTheLogKeepsTheMaskedDetails()
    {
        await using var server = await PortalServer.StartAsync("sqlite", throwingDataSource: new ThrowingDataSource());
        using var student = server.As(PortalServer.Student());
        var reply = await student.GetAsync("/portfolio/items?year=113");
        reply.Status.ShouldBe(HttpStatusCode.ServiceUnavailable, reply.ToString());
        reply.Code.ShouldBe("PF5009");
        reply.Body.ShouldNotContain(" at ");
        reply.Body.ShouldNotContain("ThrowingDataSource");
        reply.Body.ShouldNotContain(PortalServer.StudentKey);
        reply.Json.GetProperty("messageEnglish").GetString()!.ShouldStartWith("The database is unavailable");

        var post = await student.PostAsync($"/portfolio/course-outcomes/{Guid.NewGuid()}/send", new { version = 1 });
        post.Code.ShouldBe("PF5009");
        post.Body.ShouldNotContain(" at ");

        var failure = server.Logs.GetSnapshot().Where(r => r.Id.Id == 5008).ToList();
        failure.Count.ShouldBe(2);
        failure[0].Message.ShouldContain("ThrowingDataSource");
        failure[0].Message.ShouldContain("A12****789");
        failure.ShouldAllBe(r => !r.Message.Contains(PortalServer.StudentKey));
    }

    [Fact]
    public async Task ACorruptedStoredFile_IsA500ProblemWithItsCode_NeverTheAlteredBytes()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var student = server.As(PortalServer.Student());
        var uploaded = await student.UploadCourseOutcomeAsync();
        var hash = uploaded.Json.GetProperty("files")[0].GetString()!;
        var root = server.Services.GetRequiredService<Portfolio.Sdk.Files.FileSystemContentStore>().Root;
        var stored = Directory.EnumerateFiles(root, hash, SearchOption.AllDirectories).ShouldHaveSingleItem();
        await File.WriteAllTextAsync(stored, "%PDF-1.4 replaced", UserClient.Token);
        var reply = await student.GetAsync($"/portfolio/course-outcomes/{uploaded.Json.GetProperty("id").GetGuid()}/files/{hash}");
        reply.Status.ShouldBe(HttpStatusCode.InternalServerError, reply.ToString());
        reply.Code.ShouldBe("PF3401");
        reply.Body.ShouldNotContain("%PDF-1.4 replaced");
        reply.Body.ShouldNotContain(" at ");
    }

    [Fact]
    public async Task AThrowingResolver_IsA500Problem_NotAnErrorPage()
    {
        await using var server = await PortalServer.StartAsync("sqlite", services: s => s.AddPortfolioActorResolver<ThrowingResolver>());
        using var student = server.As(PortalServer.Student());
        var reply = await student.GetAsync("/portfolio/items?year=113");
        reply.Status.ShouldBe(HttpStatusCode.InternalServerError, reply.ToString());
        reply.Code.ShouldBe("PF5008");
        reply.Body.ShouldNotContain(" at ");
        reply.Body.ShouldNotContain(PortalServer.StudentKey);
    }

    private sealed class ThrowingResolver : IPortfolioActorResolver
    {
        public ValueTask<Workflow.PortfolioActor?> ResolveAsync(System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"directory lookup failed for {PortalServer.StudentKey}");
    }

    /// <summary>A database that fails every connection, with a 身分證號 in its message as drivers sometimes quote data.</summary>
    private sealed class ThrowingDataSource : DbDataSource
    {
        public override string ConnectionString => "Data Source=nowhere";

        protected override DbConnection CreateDbConnection() => new ThrowingConnection();

        private sealed class ThrowingConnection : DbConnection
        {
            [System.Diagnostics.CodeAnalysis.AllowNull]
            public override string ConnectionString { get; set; } = string.Empty;

            public override string Database => "nowhere";

            public override string DataSource => "nowhere";

            public override string ServerVersion => "0";

            public override ConnectionState State => ConnectionState.Closed;

            public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

            public override void Close()
            {
            }

            public override void Open() => throw new FakeDbException();

            public override Task OpenAsync(CancellationToken cancellationToken) => throw new FakeDbException();

            protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => throw new NotSupportedException();

            protected override DbCommand CreateDbCommand() => throw new NotSupportedException();
        }

        private sealed class FakeDbException() : DbException($"ThrowingDataSource: duplicate key value (student_key)=({PortalServer.StudentKey})");
    }
}
