using System.Collections.Concurrent;
using Npgsql;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Notices;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// Targeted notices on a real store: who is told what as a window nears its end, a rejection with its (masked) reason,
/// each notice raised once across runs, restarts and two nodes at once, and a failed delivery retried, never marked sent.
/// </summary>
public sealed class NoticeTests
{
    private const string School = "060322";

    // Now (ModuleFixture) is 2024-10-15 in Taiwan: the upload window closes the day after, the certification window
    // two days after; grade 3 has its own upload window, closing at the end of the year.
    private static readonly PolicyWindow Upload = new(PolicyWindowKind.Upload, Term1, new DateOnly(2024, 9, 1), new DateOnly(2024, 10, 16));
    private static readonly PolicyWindow UploadGrade3 = new(PolicyWindowKind.Upload, Term1, new DateOnly(2024, 9, 1), new DateOnly(2024, 12, 31)) { Grade = GradeLevel.Third };
    private static readonly PolicyWindow Certification = new(PolicyWindowKind.Certification, Term1, new DateOnly(2024, 9, 1), new DateOnly(2024, 10, 17));
    private static readonly PolicyWindow Selection = new(PolicyWindowKind.Selection, new SchoolTerm(Year, Term.WholeYear), new DateOnly(2024, 9, 1), new DateOnly(2024, 10, 18));

    private static readonly PortfolioPolicy Policy = new(PortfolioPolicy.Default.National, new SchoolPolicy { Windows = [Upload, UploadGrade3, Certification, Selection] });

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal sealed class RecordingDelivery : INoticeDelivery
    {
        public ConcurrentQueue<PortfolioNotice> Delivered { get; } = new();

        public Func<PortfolioNotice, Task>? Before { get; set; }

        public async Task DeliverAsync(PortfolioNotice notice, CancellationToken cancellationToken)
        {
            if (Before is { } before)
            {
                await before(notice);
            }

            Delivered.Enqueue(notice);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Notices_GoToWhoHasSomethingLeft_InTheLeadTime_WithMaskedText(string provider)
    {
        await using var f = await OpenAsync(provider, Policy);
        var notices = new PortfolioNotices(f.Module, f.Clock);
        var sent = await SeedAsync(f);

        // Upload: S000002 (credited, nothing uploaded) only; S000001 uploaded; S000003 (class 301) has grade 3's own window.
        var upload = await notices.PlanWindowAsync(School, Upload, 3, Token);
        var nothing = upload.ShouldHaveSingleItem();
        nothing.Kind.ShouldBe(NoticeKind.NothingUploaded);
        nothing.Recipient.ShouldBe(new NoticeRecipient(PortfolioRole.Student, "S000002"));
        nothing.StudentKey.ShouldBe("S000002");
        nothing.Window.ShouldBe(Upload);
        nothing.EventKey.ShouldBe("060322/upload/113-1/all/2024-10-16");
        nothing.Message.ShouldBe("113-1 上傳期間將於 2024-10-16 截止，你尚未上傳任何課程學習成果或多元表現");
        nothing.MessageEnglish.ShouldBe("The upload window of 113-1 closes on 2024-10-16; you have not uploaded any course outcome or performance yet");
        (await notices.PlanWindowAsync(School, UploadGrade3, 3, Token)).ShouldBeEmpty();          // closes in December: not yet
        (await notices.PlanWindowAsync(School, Upload, 0, Token)).ShouldBeEmpty();                // lead 0: only on its last day

        // Selection: every student (nothing is selected yet), each of their own; certification: the teacher, with the count.
        (await notices.PlanWindowAsync(School, Selection, 3, Token)).Select(n => n.Recipient.UserKey).Order().ShouldBe(["S000001", "S000002", "S000003"]);
        var pending = (await notices.PlanWindowAsync(School, Certification, 3, Token)).ShouldHaveSingleItem();
        pending.Recipient.ShouldBe(new NoticeRecipient(PortfolioRole.CourseTeacher, "t-math"));
        pending.MessageEnglish.ShouldBe("The certification window of 113-1 closes on 2024-10-17; 1 course outcomes await your certification");

        // The teacher rejects with a reason that quotes an ID: the student is told, the ID masked.
        var rejected = await f.Module.RejectAsync(MathTeacher, sent.Id, sent.Version, "A123456789 的檔案不是本人作品", Token);
        rejected.Succeeded.ShouldBeTrue(rejected.ToString());
        var rejection = (await notices.PlanRejectionsAsync(School, Year, Token)).ShouldHaveSingleItem();
        rejection.Kind.ShouldBe(NoticeKind.CertificationRejected);
        rejection.Recipient.ShouldBe(new NoticeRecipient(PortfolioRole.Student, StudentKey));
        rejection.Message.ShouldBe("你在 113-1 上傳的一件課程學習成果認證不通過，認證說明：A12****789 的檔案不是本人作品");
        rejection.MessageEnglish.ShouldBe("One of your course outcomes of 113-1 was not certified; the teacher's reason: A12****789 的檔案不是本人作品");
        rejection.ItemId.ShouldBe(sent.Id);
        foreach (var notice in upload.Append(pending).Append(rejection))
        {
            foreach (var text in new[] { notice.Message, notice.MessageEnglish, notice.ToString() })
            {
                text.ShouldNotContain("A123456789");
                text.ShouldNotContain("S00000");
            }
        }

        // After the window's end: nothing.
        f.Clock.SetUtcNow(new DateTimeOffset(2024, 10, 17, 16, 0, 1, TimeSpan.Zero)); // 18 October 00:00:01 in Taiwan
        (await notices.PlanWindowAsync(School, Certification, 3, Token)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EachNotice_IsRaisedOnce_AcrossRunsAndRestarts_AndAFailedDeliveryIsRetried(string provider)
    {
        await using var f = await OpenAsync(provider, Policy);
        await SeedAsync(f);
        var notices = new PortfolioNotices(f.Module, f.Clock);
        var planned = (await notices.PlanWindowAsync(School, Selection, 3, Token)).ToList();
        planned.Count.ShouldBe(3);

        // The delivery fails for S000002: not marked sent, reported, the others delivered.
        var delivery = new RecordingDelivery { Before = n => n.Recipient.UserKey == "S000002" ? throw new HttpRequestException("mail server down") : Task.CompletedTask };
        var first = await notices.RaiseAsync(planned, delivery, Token);
        first.ShouldBe(first with { Planned = 3, Delivered = 2, AlreadySent = 0, HeldElsewhere = 0 });
        first.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe("PF3502");
        first.Diagnostics[0].MessageEnglish.ShouldNotContain("S000002");
        (await notices.IsSentAsync(planned.Single(n => n.Recipient.UserKey == "S000002"), Token)).ShouldBeFalse();

        // The next run (a restart: a new instance) delivers only the failed one.
        delivery.Before = null;
        var restarted = new PortfolioNotices(f.Module, f.Clock);
        var second = await restarted.RaiseAsync(await restarted.PlanWindowAsync(School, Selection, 3, Token), delivery, Token);
        second.ShouldBe(second with { Planned = 3, Delivered = 1, AlreadySent = 2, HeldElsewhere = 0 });
        second.Failed.ShouldBe(0);
        delivery.Delivered.Select(n => n.Recipient.UserKey).Order().ShouldBe(["S000001", "S000002", "S000003"]);

        // And again: nothing.
        var third = await restarted.RaiseAsync(planned, delivery, Token);
        third.AlreadySent.ShouldBe(3);
        delivery.Delivered.Count.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AClaimHeldByANodeThatDied_IsHonouredUntilItLapses_ThenTheNoticeIsDelivered(string provider)
    {
        await using var f = await OpenAsync(provider, Policy);
        await SeedAsync(f);
        var nodeA = new PortfolioNotices(f.Module, f.Clock);
        var nodeB = new PortfolioNotices(f.Module, f.Clock);
        var notice = (await nodeA.PlanWindowAsync(School, Upload, 3, Token)).Single();

        // Node A claims and, while it delivers, node B runs the same notice: held elsewhere, not delivered twice.
        NoticeRun? duringA = null;
        var delivery = new RecordingDelivery();
        var inner = new RecordingDelivery();
        delivery.Before = async n => duringA = await nodeB.RaiseAsync([n], inner, Token);
        (await nodeA.RaiseAsync([notice], delivery, Token)).Delivered.ShouldBe(1);
        duringA!.HeldElsewhere.ShouldBe(1);
        inner.Delivered.ShouldBeEmpty();

        // A node dies mid-delivery (cancelled by its shutdown): its claim stands until the lease lapses.
        var selection = (await nodeA.PlanWindowAsync(School, Selection, 3, Token))[0];
        using var shutdown = new CancellationTokenSource();
        var dying = new RecordingDelivery { Before = _ => { shutdown.Cancel(); shutdown.Token.ThrowIfCancellationRequested(); return Task.CompletedTask; } };
        await Should.ThrowAsync<OperationCanceledException>(() => nodeA.RaiseAsync([selection], dying, shutdown.Token));
        (await nodeB.RaiseAsync([selection], inner, Token)).HeldElsewhere.ShouldBe(1);
        f.Clock.Advance(nodeB.ClaimLease + TimeSpan.FromSeconds(1));
        (await nodeB.RaiseAsync([selection], inner, Token)).Delivered.ShouldBe(1);
        inner.Delivered.ShouldHaveSingleItem().DedupeKey.ShouldBe(selection.DedupeKey);
    }

    [Fact]
    public async Task TwoNodesAtOnce_OnPostgreSql_DeliverEachNoticeOnce()
    {
        await using var f = await OpenAsync("postgres", Policy);
        for (var i = 0; i < 40; i++)
        {
            await f.Store.RecordCreditedCoursesAsync($"S1{i:D5}", "101", Term1, [MathCourse], Token);
        }

        // Two nodes: each its own data source (its own connections) on the same store, and its own clock.
        await using var otherSource = new NpgsqlDataSourceBuilder(f.Database.ConnectionString).Build();
        var otherStore = new PortfolioStore(otherSource, f.Store.Dialect, f.Clock);
        var otherModule = new PortfolioModule(otherStore, new FileSystemContentStore(f.FilesRoot), Policy, f.Clock);
        var nodes = new[] { new PortfolioNotices(f.Module, f.Clock), new PortfolioNotices(otherModule, f.Clock) };
        var delivered = new ConcurrentQueue<string>();
        var delivery = new RecordingDelivery { Before = async n => { await Task.Delay(2, Token); delivered.Enqueue(n.DedupeKey); } };

        for (var round = 0; round < 3; round++)
        {
            using var start = new SemaphoreSlim(0);
            var runs = nodes.Select(node => Task.Run(async () =>
            {
                await start.WaitAsync(Token);
                return await node.RaiseAsync(await node.PlanWindowAsync(School, Upload, 3, Token), delivery, Token);
            }, Token)).ToArray();
            start.Release(2);
            var results = await Task.WhenAll(runs);
            results.Sum(r => r.Delivered).ShouldBe(round == 0 ? 40 : 0);
            results.ShouldAllBe(r => r.Planned == 40 && r.Failed == 0 && r.Delivered + r.AlreadySent + r.HeldElsewhere == 40);
        }

        delivered.Count.ShouldBe(40);
        delivered.Distinct().Count().ShouldBe(40);
    }

    // S000001 (101) has a course outcome sent to t-math; S000002 (101) and S000003 (301) have credited courses only.
    private static async Task<CourseOutcome> SeedAsync(ModuleFixture f)
    {
        var uploaded = await f.Module.UploadCourseOutcomeAsync(Student, Outcome(), Token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
        var sent = await f.Module.SendForCertificationAsync(Student, uploaded.Value.Id, uploaded.Value.Version, Token);
        sent.Succeeded.ShouldBeTrue(sent.ToString());
        await f.Store.RecordCreditedCoursesAsync(StudentKey, "101", Term1, [MathCourse], Token);
        await f.Store.RecordCreditedCoursesAsync("S000002", "101", Term1, [MathCourse], Token);
        await f.Store.RecordCreditedCoursesAsync("S000003", "301", Term1, [MathCourse], Token);
        return sent.Value;
    }
}
