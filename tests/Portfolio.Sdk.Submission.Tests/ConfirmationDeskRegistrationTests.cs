using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary><c>AddPortfolioSubmission</c> registers the confirmation desk over its ledger, with the host's <see cref="IReceiptRowItems"/> when it has one.</summary>
public sealed class ConfirmationDeskRegistrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheRegisteredDesk_UnlocksThroughTheHostsItems_WhenRegistered(bool withItems)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = Testing.TestSisDatabase.Sqlite();
        var folder = Directory.CreateTempSubdirectory("desk-registration-").FullName;
        var services = new ServiceCollection();
        services.AddSingleton(database.DataSource);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2024, 10, 1, 2, 0, 0, TimeSpan.Zero)));
        services.AddPortfolioFileDrop(Path.Combine(folder, "drop"));
        services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox"));
        var items = new RecordingItems();
        if (withItems)
        {
            services.AddSingleton<IReceiptRowItems>(items);
        }

        await using var provider = services.BuildServiceProvider();
        var ledger = (DbSubmissionLedger)provider.GetRequiredService<ISubmissionLedger>();
        await ledger.EnsureCreatedAsync(ct);
        await ledger.AddOrGetAsync(new SubmissionRecord
        {
            IdempotencyKey = "k-1", Identity = Rosters.Identity(), ContentKind = SubmissionContentKind.Workbook, Sha256 = new string('a', 64), Length = 1,
            State = SubmissionState.Accepted, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        }, ct);
        var row = new ReceiptRow { StudentKey = Rosters.StudentId(0), Sheet = "semester-grades", RowKey = Rosters.StudentId(0) + "|1131|x", Values = new Dictionary<string, string?>() };
        (await ledger.SaveReceiptAsync("k-1", new Receipt
        {
            ReceiptId = "r-1", IdempotencyKey = "k-1", SubmissionId = "s-1", SchoolCode = Rosters.School.Value, Book = "grades", SchoolYear = 113, Term = 1,
            IssuedAt = DateTimeOffset.UnixEpoch, RowCount = 1, Rows = [row],
        }, new DateOnly(2024, 10, 20), ct)).ShouldNotBeNull();

        var desk = provider.GetRequiredService<ConfirmationDesk>();
        var answered = await desk.AnswerAsync(PortfolioActor.StudentOf("u-0", Rosters.StudentId(0)), "k-1", 0, ConfirmationDecision.Dispute, "成績有誤", 0, ct);
        answered.Succeeded.ShouldBeTrue(answered.ToString());
        var staff = new PortfolioActor("staff", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });
        var decided = await desk.DecideAsync(staff, "k-1", 0, DisputeVerdict.Upheld, null, answered.Value!.Version, ct);
        decided.Succeeded.ShouldBeTrue(decided.ToString());
        if (withItems)
        {
            decided.Value!.Unlock.ShouldBe(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NoItem));
            var asked = items.Asked.ShouldHaveSingleItem();
            asked.ShouldBe(new ReceiptRowReference("grades", Rosters.Term, "semester-grades", row.RowKey, "k-1#0"));
            asked.ToString().ShouldNotContain(Rosters.StudentId(0));
        }
        else
        {
            decided.Value!.Unlock.ShouldBeNull();
            items.Asked.ShouldBeEmpty();
        }

        Directory.Delete(folder, recursive: true);
    }

    private sealed class RecordingItems : IReceiptRowItems
    {
        public List<ReceiptRowReference> Asked { get; } = [];

        public Task<PortfolioResult<ReceiptRowUnlock>> UnlockForCorrectionAsync(PortfolioActor actor, ReceiptRowReference row, CancellationToken cancellationToken = default)
        {
            Asked.Add(row);
            return Task.FromResult(PortfolioResult<ReceiptRowUnlock>.Ok(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.NoItem)));
        }
    }
}
