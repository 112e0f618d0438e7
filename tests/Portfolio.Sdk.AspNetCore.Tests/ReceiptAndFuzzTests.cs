using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>Receipt confirmation and dispute over HTTP; the upload parser under random forms; the endpoints' telemetry.</summary>
public sealed class ReceiptAndFuzzTests
{
    [Fact]
    public async Task Student_ConfirmsOrDisputesTheirOwnRowOfAReceipt_OverHttp()
    {
        await using var ledgerDatabase = TestSisDatabase.Sqlite();
        var clock = new FakeTimeProvider(PortalServer.Now);
        var ledger = new DbSubmissionLedger(ledgerDatabase.DataSource, ledgerDatabase.Dialect, clock);
        await ledger.EnsureCreatedAsync(UserClient.Token);
        var outbox = Path.Combine(Path.GetTempPath(), $"outbox-{Guid.NewGuid():N}");
        await using var server = await PortalServer.StartAsync("sqlite", services: s => s.AddSingleton(new SubmissionService(new UnusedGateway(), ledger, new SubmissionOutbox(outbox), clock: clock)));
        await ledger.AddOrGetAsync(new SubmissionRecord
        {
            IdempotencyKey = "k-113-1",
            Identity = new SubmissionIdentity(SchoolCode.Parse("060322"), "course-outcomes", SchoolTerm.Parse("113-1")),
            ContentKind = SubmissionContentKind.Workbook,
            Sha256 = new string('a', 64),
            Length = 1,
            State = SubmissionState.Accepted,
            CreatedAt = PortalServer.Now,
            UpdatedAt = PortalServer.Now,
        }, UserClient.Token);
        var row = new ReceiptRow { StudentKey = PortalServer.StudentKey, Sheet = "course-outcomes", RowKey = "1", Values = new Dictionary<string, string?>() };
        (await ledger.SaveReceiptAsync("k-113-1", new Receipt
        {
            ReceiptId = "r-1", IdempotencyKey = "k-113-1", SubmissionId = "s-1", SchoolCode = "060322", Book = "course-outcomes", SchoolYear = 113, Term = 1,
            IssuedAt = PortalServer.Now, RowCount = 1, Rows = [row],
        }, new DateOnly(2024, 10, 25), UserClient.Token)).ShouldNotBeNull();

        using var student = server.As(PortalServer.Student());
        using var other = server.As(PortalServer.Student("B223456780", "u-other"));
        var noNote = await student.PostAsync("/portfolio/receipts/k-113-1/dispute", new { note = "" });
        noNote.Code.ShouldBe("PF5006");
        var disputed = await student.PostAsync("/portfolio/receipts/k-113-1/dispute", new { note = "數學成果未列入" });
        disputed.Status.ShouldBe(HttpStatusCode.OK, disputed.ToString());
        disputed.Json.GetProperty("decision").GetString().ShouldBe("Dispute");
        disputed.Json.GetProperty("studentKey").GetString().ShouldBe("A12****789");
        (await ledger.ReadConfirmationsAsync("k-113-1", UserClient.Token)).ShouldHaveSingleItem().Note.ShouldBe("數學成果未列入");

        var notListed = await other.PostAsync("/portfolio/receipts/k-113-1/confirm", new { });
        notListed.Status.ShouldBe(HttpStatusCode.NotFound, notListed.ToString());
        notListed.Code.ShouldBe("PF4304");
        (await student.PostAsync("/portfolio/receipts/no-such/confirm", new { })).Code.ShouldBe("PF4302");
        using var teacher = server.As(PortalServer.Teacher());
        (await teacher.PostAsync("/portfolio/receipts/k-113-1/confirm", new { })).Status.ShouldBe(HttpStatusCode.Forbidden);
        Directory.Delete(outbox, recursive: true);
    }

    // Random forms (fields in any order and value, files of any content, bodies that are not multipart at all): the
    // answer is always a created item or a 4xx problem detail, never a server error; a problem never carries the student's ID.
    [Fact]
    public async Task UploadParser_AnyForm_IsCreatedOrA4xxProblem_NeverAServerError()
    {
        await using var server = await PortalServer.StartAsync("sqlite", o => o.UploadsPerWindow = 100_000);
        using var student = server.As(PortalServer.Student());
        var token = await student.AntiforgeryTokenAsync();
        var field = Gen.Elements("term", "courseCode", "summary", "certifyingTeacher", "kind", "className", "isGroupWork", "version", "x", "files", "");
        var value = Gen.OneOf(
            Gen.Elements("113-1", PortalServer.MathCourse.Value, "t-math", "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。", "true", "101", "Semester", "999-9", PortalServer.StudentKey),
            ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? string.Empty));
        var signature = Gen.Elements<byte[]>([], "%PDF-1.4\n"u8.ToArray(), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], "MZ"u8.ToArray(), "ID3"u8.ToArray());
        var file = from head in signature from rest in ArbMap.Default.ArbFor<byte[]>().Generator select (byte[])[.. head, .. rest ?? []];
        var section = Gen.OneOf(
            from name in field from text in value select (Name: name, Text: (string?)text, File: (byte[]?)null),
            from content in file select (Name: "files", Text: (string?)null, File: (byte[]?)content));
        // Half the forms start from a valid upload, so random additions are tried against the whole path to the module.
        (string Name, string? Text, byte[]? File)[] valid =
        [
            ("term", "113-1", null), ("courseCode", PortalServer.MathCourse.Value, null), ("certifyingTeacher", "t-math", null),
            ("summary", "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。", null), ("files", null, "%PDF-1.4\n%%EOF\n"u8.ToArray()),
        ];
        var form = from sections in Gen.ListOf(section)
                   from based in Gen.Elements(true, false)
                   from raw in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
                   from noise in ArbMap.Default.ArbFor<byte[]>().Generator
                   select (Sections: based ? [.. valid, .. sections.Where(s => s.File is null && s.Name != "className")] : sections.ToArray(), raw, noise);

        var statuses = new Dictionary<HttpStatusCode, int>();
        foreach (var (sections, raw, noise) in form.Sample(200, 30))
        {
            var body = raw ? noise ?? [] : Multipart(sections);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=fuzz-boundary");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/portfolio/course-outcomes", UriKind.Relative)) { Content = content };
            request.Headers.Add("RequestVerificationToken", token);
            var reply = await Reply.ReadAsync(await student.Http.SendAsync(request, UserClient.Token));
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
            ((int)reply.Status).ShouldBeLessThan(500, $"{reply}\n{string.Join("\n", server.Logs.GetSnapshot().Where(r => r.Id.Id == 5008).Select(r => r.Message))}");
            if (reply.Status == HttpStatusCode.Created)
            {
                // The student's own words come back as written; the key the server holds is always masked.
                reply.Json.GetProperty("studentKey").GetString().ShouldBe("A12****789");
            }
            else
            {
                reply.Body.ShouldNotContain(PortalServer.StudentKey, Case.Insensitive, reply.ToString());
                reply.MediaType.ShouldBe("application/problem+json", reply.ToString());
                reply.Code.ShouldNotBeNull();
            }
        }

        var seen = string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}"));
        statuses.Values.Sum().ShouldBe(200, seen);
        statuses.Keys.ShouldContain(HttpStatusCode.Created, seen);
        statuses.Keys.ShouldContain(HttpStatusCode.BadRequest, seen);
        statuses.Keys.ShouldContain(HttpStatusCode.UnsupportedMediaType, seen);
    }

    [Fact]
    public async Task Telemetry_CountsEachCall_ByEndpointAndCode_WithoutAnId()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(long Value, KeyValuePair<string, object?>[] Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PortfolioEndpointsTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => measurements.Add((value, tags.ToArray())));
        listener.Start();
        await using var server = await PortalServer.StartAsync("sqlite");
        using var student = server.As(PortalServer.Student());
        var uploaded = await student.UploadCourseOutcomeAsync();
        await student.PostAsync($"/portfolio/course-outcomes/{uploaded.Json.GetProperty("id").GetGuid()}/send", new { version = 9 });
        var mine = measurements.Where(m => m.Tags.Any(t => t.Key == PortfolioEndpointsTelemetry.EndpointTag && (string?)t.Value is "UploadCourseOutcome" or "SendCourseOutcome")).ToList();
        mine.ShouldContain(m => m.Tags.Any(t => t.Key == "portfolio.outcome" && (string?)t.Value == "succeeded"));
        mine.ShouldContain(m => m.Tags.Any(t => t.Key == "portfolio.diagnostic.code" && (string?)t.Value == "PF3104"));
        measurements.SelectMany(m => m.Tags).ShouldAllBe(t => !Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture)!.Contains(PortalServer.StudentKey));
    }

    private static byte[] Multipart(IEnumerable<(string Name, string? Text, byte[]? File)> sections)
    {
        using var body = new MemoryStream();
        foreach (var (name, text, file) in sections)
        {
            var head = file is null
                ? $"--fuzz-boundary\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                : $"--fuzz-boundary\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"f.pdf\"\r\nContent-Type: application/pdf\r\n\r\n";
            body.Write(Encoding.UTF8.GetBytes(head));
            body.Write(file ?? Encoding.UTF8.GetBytes(text ?? string.Empty));
            body.Write("\r\n"u8);
        }

        body.Write("--fuzz-boundary--\r\n"u8);
        return body.ToArray();
    }

    private sealed class UnusedGateway : ICentralGateway
    {
        public Task<GatewayDelivery> SubmitAsync(SubmissionMetadata metadata, Func<Stream> openContent, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SubmissionStatus?> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReceiptSummary>> ListReceiptsAsync(string schoolCode, DateTimeOffset? since = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Receipt?> GetReceiptAsync(string receiptId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
