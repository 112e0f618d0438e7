using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>
/// 收訖明細 row by row over a real host: a student's own rows (masked), confirm or dispute one row with the version read,
/// two answers from one reading (one wins, the other 409), the window, and staff deciding each dispute.
/// </summary>
public sealed class ReceiptRowTests
{
    public const string OtherStudentKey = "B223456780";
    public const string Submission = "k-113-1";

    public static TheoryData<string> Providers() => ["sqlite", "postgresql"];

    [Fact]
    public async Task Student_SeesOwnRowsMasked_AnswersEachRowWithTheVersionRead()
    {
        await using var desk = await ReceiptHost.StartAsync("sqlite");
        using var student = desk.Server.As(PortalServer.Student());

        var receipts = await student.GetAsync("/portfolio/receipts");
        receipts.Status.ShouldBe(HttpStatusCode.OK, receipts.ToString());
        receipts.Body.ShouldNotContain(PortalServer.StudentKey, Case.Insensitive);
        receipts.Body.ShouldNotContain(OtherStudentKey, Case.Insensitive);
        var receipt = receipts.Json.EnumerateArray().ShouldHaveSingleItem();
        receipt.GetProperty("submissionKey").GetString().ShouldBe(Submission);
        receipt.GetProperty("isOpen").GetBoolean().ShouldBeTrue();
        var rows = receipt.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("row").GetInt32()).ShouldBe([0, 1, 2]);                 // not the other student's row 3
        rows[0].GetProperty("rowKey").GetString().ShouldBe("A12****789|1131|" + PortalServer.MathCourse.Value);
        rows[0].GetProperty("values").GetProperty("nationalId").GetString().ShouldBe("A12****789");
        rows[0].GetProperty("values").GetProperty("courseCode").GetString().ShouldBe(PortalServer.MathCourse.Value);   // a code is not an ID
        rows.ShouldAllBe(r => r.GetProperty("version").GetInt64() == 0);

        var confirmed = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/0/confirm", new { version = 0 });
        confirmed.Status.ShouldBe(HttpStatusCode.OK, confirmed.ToString());
        confirmed.Json.GetProperty("decision").GetString().ShouldBe("Confirm");
        var version = confirmed.Json.GetProperty("version").GetInt64();
        version.ShouldBeGreaterThan(0);

        var noNote = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/1/dispute", new { version = 0, note = " " });
        noNote.Status.ShouldBe(HttpStatusCode.BadRequest, noNote.ToString());
        noNote.Code.ShouldBe("PF4405");
        noNote.Json.GetProperty("location").GetProperty("path").GetString().ShouldBe("note");
        var disputed = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/1/dispute", new { version = 0, note = "學分數應為 3" });
        disputed.Status.ShouldBe(HttpStatusCode.OK, disputed.ToString());
        disputed.Json.GetProperty("note").GetString().ShouldBe("學分數應為 3");

        // Changing an answer takes the version read; an old version is a 409 with both messages.
        var stale = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/0/dispute", new { version = 0, note = "改為有誤" });
        stale.Status.ShouldBe(HttpStatusCode.Conflict, stale.ToString());
        stale.Code.ShouldBe("PF4414");
        stale.Json.GetProperty("message").GetString()!.ShouldContain("第 0 列");
        stale.Json.GetProperty("messageEnglish").GetString()!.ShouldContain("Row 0");
        var changed = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/0/dispute", new { version, note = "改為有誤" });
        changed.Status.ShouldBe(HttpStatusCode.OK, changed.ToString());

        // Only the student's own rows; a row that is not in the receipt; a malformed version.
        var notMine = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/3/confirm", new { version = 0 });
        notMine.Status.ShouldBe(HttpStatusCode.Forbidden, notMine.ToString());
        notMine.Code.ShouldBe("PF3101");
        notMine.Body.ShouldNotContain(OtherStudentKey, Case.Insensitive);
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/9/confirm", new { version = 0 })).Code.ShouldBe("PF4404");
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/9/confirm", new { version = 0 })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await student.PostAsync($"/portfolio/receipts/no-such/rows/0/confirm", new { version = 0 })).Code.ShouldBe("PF4302");
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/2/confirm", new { version = -1 })).Code.ShouldBe("PF5006");
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/2/confirm", "not an object")).Code.ShouldBe("PF5012");

        // The ledger holds what the student answered; the per-student summary says "disputed".
        var answers = (await desk.Ledger.ReadConfirmationsAsync(Submission, UserClient.Token)).ShouldHaveSingleItem();
        answers.Decision.ShouldBe(ConfirmationDecision.Dispute);
        var listed = await student.GetAsync("/portfolio/receipts");
        listed.Json[0].GetProperty("rows").EnumerateArray().Select(r => r.TryGetProperty("decision", out var d) ? d.GetString() : null).ShouldBe(["Dispute", "Dispute", null]);
    }

    // Two tabs (or a double click) answer one row from the same reading: one answer is saved, the other is told 409;
    // what is stored is the winner's, whole, and the audit trail holds exactly one answer for the row.
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoConcurrentAnswersToOneRow_OneWins_NoLostUpdate(string provider)
    {
        await using var desk = await ReceiptHost.StartAsync(provider);
        var actor = PortalServer.Student();
        const int Rounds = 6;
        var clients = Enumerable.Range(0, 2).Select(_ => desk.Server.As(actor)).ToList();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var row = round % 3;
                desk.Clock.Advance(TimeSpan.FromMinutes(1));   // a later answer, as on a real day (the version stamps the answer's time too)
                var version = (await desk.Desk.ListRowsAsync(actor, Submission, PortalServer.StudentKey, UserClient.Token)).Value![row].Version;
                using var start = new SemaphoreSlim(0);
                var tasks = new[]
                {
                    Task.Run(async () => { await start.WaitAsync(UserClient.Token); return await clients[0].PostAsync($"/portfolio/receipts/{Submission}/rows/{row}/confirm", new { version }); }),
                    Task.Run(async () => { await start.WaitAsync(UserClient.Token); return await clients[1].PostAsync($"/portfolio/receipts/{Submission}/rows/{row}/dispute", new { version, note = $"第 {round} 輪：有誤" }); }),
                };
                start.Release(2);
                var replies = await Task.WhenAll(tasks);
                var all = string.Join("\n", replies.Select(r => r.ToString()));
                replies.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(1, all);
                var loser = replies.Single(r => r.Status != HttpStatusCode.OK);
                loser.Status.ShouldBe(HttpStatusCode.Conflict, all);
                loser.Code.ShouldBe("PF4414");

                var winner = replies.Single(r => r.Status == HttpStatusCode.OK).Json;
                var stored = (await desk.Desk.ListRowsAsync(actor, Submission, PortalServer.StudentKey, UserClient.Token)).Value![row];
                stored.Answer.ShouldNotBeNull().Decision.ToString().ShouldBe(winner.GetProperty("decision").GetString());
                stored.Answer.Note.ShouldBe(winner.TryGetProperty("note", out var note) && note.ValueKind == System.Text.Json.JsonValueKind.String ? note.GetString() : null);
                stored.Version.ShouldBe(winner.GetProperty("version").GetInt64());
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        var audit = new List<AuditEntry>();
        await foreach (var entry in desk.Desk.ReadAuditAsync(UserClient.Token))
        {
            audit.Add(entry);
        }

        audit.Count(e => e.Action.StartsWith("receipt-row.", StringComparison.Ordinal)).ShouldBe(Rounds);
        AuditTrail.Verify(audit).ShouldBeEmpty();
    }

    [Fact]
    public async Task Answers_OutsideTheWindow_AreRefused()
    {
        // The receipt's own window ended on 10-10; the server's day is 2024-10-15.
        await using (var closed = await ReceiptHost.StartAsync("sqlite", confirmUntil: new DateOnly(2024, 10, 10)))
        {
            using var student = closed.Server.As(PortalServer.Student());
            var late = await student.PostAsync($"/portfolio/receipts/{Submission}/rows/0/confirm", new { version = 0 });
            late.Status.ShouldBe(HttpStatusCode.BadRequest, late.ToString());
            late.Code.ShouldBe("PF4301");
            (await closed.Desk.ListRowsAsync(PortalServer.Student(), Submission, PortalServer.StudentKey, UserClient.Token)).Value!.ShouldAllBe(r => r.Answer == null);
        }

        // The school's own window for the book and term, not yet open on 10-15.
        await using var early = await ReceiptHost.StartAsync("sqlite");
        var window = await early.Desk.SetWindowAsync(PortalServer.Administrator(),
            new ConfirmationWindow(SchoolCode.Parse("060322"), "grades", SchoolTerm.Parse("113-1"), new DateOnly(2024, 10, 20), new DateOnly(2024, 10, 30)), UserClient.Token);
        window.Succeeded.ShouldBeTrue(window.ToString());
        using var pupil = early.Server.As(PortalServer.Student());
        var tooEarly = await pupil.PostAsync($"/portfolio/receipts/{Submission}/rows/0/dispute", new { version = 0, note = "有誤" });
        tooEarly.Status.ShouldBe(HttpStatusCode.BadRequest, tooEarly.ToString());
        tooEarly.Code.ShouldBe("PF4403");
        (await pupil.GetAsync("/portfolio/receipts")).Json[0].GetProperty("lastDay").GetString().ShouldBe("2024-10-30");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Staff_ListOpenDisputes_AndDecideEach_WithTheVersionRead(string provider)
    {
        await using var desk = await ReceiptHost.StartAsync(provider);
        using var student = desk.Server.As(PortalServer.Student());
        using var other = desk.Server.As(PortalServer.Student(OtherStudentKey, "u-other"));
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/0/confirm", new { version = 0 })).Status.ShouldBe(HttpStatusCode.OK);
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/1/dispute", new { version = 0, note = "學分數應為 3" })).Status.ShouldBe(HttpStatusCode.OK);
        (await other.PostAsync($"/portfolio/receipts/{Submission}/rows/3/dispute", new { version = 0, note = "成績有誤" })).Status.ShouldBe(HttpStatusCode.OK);

        var submitter = new Workflow.PortfolioActor("s-grades", new HashSet<Workflow.PortfolioRole> { Workflow.PortfolioRole.CourseOutcomeSubmitter });
        using var staff = desk.Server.As(submitter);
        var open = await staff.GetAsync("/portfolio/receipts/disputes");
        open.Status.ShouldBe(HttpStatusCode.OK, open.ToString());
        open.Body.ShouldNotContain(PortalServer.StudentKey, Case.Insensitive);
        open.Body.ShouldNotContain(OtherStudentKey, Case.Insensitive);
        var disputes = open.Json.EnumerateArray().ToList();
        disputes.Select(d => d.GetProperty("row").GetProperty("row").GetInt32()).ShouldBe([1, 3]);   // the confirmed row is not a dispute
        disputes[0].GetProperty("studentKey").GetString().ShouldBe("A12****789");
        disputes[0].GetProperty("row").GetProperty("note").GetString().ShouldBe("學分數應為 3");
        var version1 = disputes[0].GetProperty("row").GetProperty("version").GetInt64();
        var version3 = disputes[1].GetProperty("row").GetProperty("version").GetInt64();

        (await staff.PostAsync($"/portfolio/receipts/{Submission}/rows/1/decide", new { version = version1, verdict = "maybe" })).Code.ShouldBe("PF5006");
        var noReason = await staff.PostAsync($"/portfolio/receipts/{Submission}/rows/3/decide", new { version = version3, verdict = "Rejected" });
        noReason.Code.ShouldBe("PF4406");
        noReason.Json.GetProperty("location").GetProperty("path").GetString().ShouldBe("reason");
        (await staff.PostAsync($"/portfolio/receipts/{Submission}/rows/0/decide", new { version = 1, verdict = "Upheld" })).Code.ShouldBe("PF4407");

        var upheld = await staff.PostAsync($"/portfolio/receipts/{Submission}/rows/1/decide", new { version = version1, verdict = "upheld" });
        upheld.Status.ShouldBe(HttpStatusCode.OK, upheld.ToString());
        upheld.Json.GetProperty("dispute").GetProperty("row").GetProperty("verdict").GetString().ShouldBe("Upheld");
        upheld.Json.GetProperty("unlock").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);   // this desk has no module items to unlock
        var rejected = await staff.PostAsync($"/portfolio/receipts/{Submission}/rows/3/decide", new { version = version3, verdict = "Rejected", reason = "成績與任課教師登錄相符" });
        rejected.Status.ShouldBe(HttpStatusCode.OK, rejected.ToString());

        // A decision made from an old reading (the row was decided since) is a 409; the open list is empty now.
        (await staff.PostAsync($"/portfolio/receipts/{Submission}/rows/1/decide", new { version = version1, verdict = "Rejected", reason = "改判" })).Code.ShouldBe("PF4414");
        (await staff.GetAsync("/portfolio/receipts/disputes")).Json.GetArrayLength().ShouldBe(0);
        (await staff.GetAsync("/portfolio/receipts/disputes?all=true")).Json.GetArrayLength().ShouldBe(2);
        (await staff.GetAsync("/portfolio/receipts/disputes?all=maybe")).Code.ShouldBe("PF5006");

        // The student sees the school's reason on their own row.
        var mine = await other.GetAsync("/portfolio/receipts");
        var row3 = mine.Json[0].GetProperty("rows").EnumerateArray().ShouldHaveSingleItem();
        row3.GetProperty("verdict").GetString().ShouldBe("Rejected");
        row3.GetProperty("reason").GetString().ShouldBe("成績與任課教師登錄相符");

        // A student cannot decide or list disputes (the policy refuses before the desk).
        (await student.GetAsync("/portfolio/receipts/disputes")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/1/decide", new { version = 1, verdict = "Upheld" })).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    // Random bodies (JSON of any shape, numbers out of range, verdicts of any text, bytes that are not JSON) on the answer
    // and decide endpoints, and random row numbers: always a saved answer or a 4xx problem with its PF code, never a
    // server error, and a problem never quotes the student's ID; the rows' answers stay readable.
    [Fact]
    public async Task RowEndpoints_AnyBody_AreSavedOrA4xxProblem_NeverAServerError()
    {
        await using var desk = await ReceiptHost.StartAsync("sqlite");
        using var student = desk.Server.As(PortalServer.Student());
        using var staff = desk.Server.As(new Workflow.PortfolioActor("s-grades", new HashSet<Workflow.PortfolioRole> { Workflow.PortfolioRole.CourseOutcomeSubmitter }));
        var number = Gen.OneOf(Gen.Constant<object?>(null), ArbMap.Default.ArbFor<long>().Generator.Select(v => (object?)v), Gen.Elements<object?>(0, 1, -1, "0", 1.5, true, long.MaxValue));
        var text = Gen.OneOf(Gen.Constant<object?>(null), ArbMap.Default.ArbFor<string>().Generator.Select(v => (object?)v),
            Gen.Elements<object?>("Upheld", "rejected", "UPHELD", " ", "學分數有誤", PortalServer.StudentKey, 3));
        var body = from version in number from note in text from verdict in text from reason in text from junk in ArbMap.Default.ArbFor<byte[]>().Generator
                   from raw in Gen.Frequency((8, Gen.Constant(false)), (2, Gen.Constant(true)))
                   select raw ? junk ?? [] : System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["version"] = version, ["note"] = note, ["verdict"] = verdict, ["reason"] = reason }));
        var request = from row in Gen.Elements(0, 1, 2, 3, 9, int.MaxValue)
                      from action in Gen.Elements("confirm", "dispute", "decide")
                      from content in body
                      select (row, action, content);

        var statuses = new Dictionary<HttpStatusCode, int>();
        foreach (var (row, action, content) in request.Sample(150, 20))
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri($"/portfolio/receipts/{Submission}/rows/{row}/{action}", UriKind.Relative))
            {
                Content = new ByteArrayContent(content) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } },
            };
            var reply = await Reply.ReadAsync(await (action == "decide" ? staff : student).Http.SendAsync(message, UserClient.Token));
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
            ((int)reply.Status).ShouldBeLessThan(500, reply.ToString());
            if (reply.Status != HttpStatusCode.OK)
            {
                // A refusal never quotes the ID (a saved note is the student's own words and comes back as written).
                reply.Body.ShouldNotContain(PortalServer.StudentKey, Case.Insensitive, reply.ToString());
                reply.MediaType.ShouldBe("application/problem+json", reply.ToString());
                reply.Code.ShouldNotBeNull();
            }
        }

        var seen = string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}"));
        statuses.Values.Sum().ShouldBe(150, seen);
        statuses.Keys.ShouldContain(HttpStatusCode.BadRequest, seen);
        (await desk.Desk.ListRowsAsync(PortalServer.Student(), Submission, PortalServer.StudentKey, UserClient.Token)).Value!.Count.ShouldBe(3);
    }

    [Fact]
    public async Task WithoutTheSubmissionService_TheRowEndpointsAnswer404_PF5010()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var student = server.As(PortalServer.Student());
        var reply = await student.GetAsync("/portfolio/receipts");
        reply.Status.ShouldBe(HttpStatusCode.NotFound, reply.ToString());
        reply.Code.ShouldBe("PF5010");
        (await student.PostAsync($"/portfolio/receipts/{Submission}/rows/0/confirm", new { version = 0 })).Code.ShouldBe("PF5010");
    }

    /// <summary>A portal server with the submission service and the confirmation desk over a ledger of its own, holding one receipt.</summary>
    internal sealed class ReceiptHost : IAsyncDisposable
    {
        private readonly TestSisDatabase _ledgerDatabase;
        private readonly string _outbox;

        private ReceiptHost(PortalServer server, TestSisDatabase ledgerDatabase, DbSubmissionLedger ledger, string outbox, FakeTimeProvider clock)
        {
            Server = server;
            Clock = clock;
            _ledgerDatabase = ledgerDatabase;
            Ledger = ledger;
            _outbox = outbox;
        }

        public PortalServer Server { get; }

        public DbSubmissionLedger Ledger { get; }

        public FakeTimeProvider Clock { get; }

        public ConfirmationDesk Desk => Server.Services.GetRequiredService<ConfirmationDesk>();

        public static async Task<ReceiptHost> StartAsync(string provider, DateOnly? confirmUntil = null, bool unlockItems = false)
        {
            var ledgerDatabase = await TestSisDatabase.OpenAsync(provider);
            var clock = new FakeTimeProvider(PortalServer.Now);
            var ledger = new DbSubmissionLedger(ledgerDatabase.DataSource, ledgerDatabase.Dialect, clock);
            await ledger.EnsureCreatedAsync(UserClient.Token);
            var outbox = Path.Combine(Path.GetTempPath(), $"outbox-{Guid.NewGuid():N}");
            var server = await PortalServer.StartAsync(provider, services: s =>
            {
                s.AddSingleton(new SubmissionService(new NoGateway(), ledger, new SubmissionOutbox(outbox), clock: clock));
                s.AddSingleton(sp => new ConfirmationDesk(sp.GetRequiredService<SubmissionService>(), ledger,
                    unlockItems ? sp.GetRequiredService<Storage.PortfolioModule>() : null, clock: clock));
            });
            await ledger.AddOrGetAsync(new SubmissionRecord
            {
                IdempotencyKey = Submission,
                Identity = new SubmissionIdentity(SchoolCode.Parse("060322"), "grades", SchoolTerm.Parse("113-1")),
                ContentKind = SubmissionContentKind.Workbook,
                Sha256 = new string('a', 64),
                Length = 1,
                State = SubmissionState.Accepted,
                CreatedAt = PortalServer.Now,
                UpdatedAt = PortalServer.Now,
            }, UserClient.Token);
            ReceiptRow Row(string student, string course) => new()
            {
                StudentKey = student,
                Sheet = "semester-grades",
                RowKey = $"{student}|1131|{course}",
                Values = new Dictionary<string, string?> { ["nationalId"] = student, ["courseCode"] = course, ["score"] = "87" },
            };
            var course = PortalServer.MathCourse.Value;
            var other = course[..^1] + "2";
            var third = course[..^1] + "3";
            ReceiptRow[] rows = [Row(PortalServer.StudentKey, course), Row(PortalServer.StudentKey, other), Row(PortalServer.StudentKey, third), Row(OtherStudentKey, course)];
            (await ledger.SaveReceiptAsync(Submission, new Receipt
            {
                ReceiptId = "r-1", IdempotencyKey = Submission, SubmissionId = "s-1", SchoolCode = "060322", Book = "grades", SchoolYear = 113, Term = 1,
                IssuedAt = PortalServer.Now, RowCount = rows.Length, Rows = rows,
            }, confirmUntil ?? new DateOnly(2024, 10, 25), UserClient.Token)).ShouldNotBeNull();
            return new ReceiptHost(server, ledgerDatabase, ledger, outbox, clock);
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await _ledgerDatabase.DisposeAsync();
            if (Directory.Exists(_outbox))
            {
                Directory.Delete(_outbox, recursive: true);
            }
        }
    }

    private sealed class NoGateway : ICentralGateway
    {
        public Task<GatewayDelivery> SubmitAsync(SubmissionMetadata metadata, Func<Stream> openContent, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SubmissionStatus?> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReceiptSummary>> ListReceiptsAsync(string schoolCode, DateTimeOffset? since = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Receipt?> GetReceiptAsync(string receiptId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
