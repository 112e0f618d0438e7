using System.Globalization;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// Under each kind of fault, before or after the sandbox processed the request, and under a random mix, every
/// submission ends accepted exactly once at the sandbox and none is lost.
/// </summary>
public sealed class FaultMatrixTests
{
    private const int Submissions = 12;

    public static TheoryData<string> Kinds() => ["500", "503", "429", "latency", "drop", "truncate", "all"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EverySubmission_IsAcceptedExactlyOnce(string kinds)
    {
        var options = new SandboxOptions();
        options.Faults.Rate = 0.5;
        options.Faults.Kinds = kinds;
        options.Faults.Seed = 1122 + kinds.Length;
        options.Faults.RetryAfterSeconds = 1;
        options.Faults.LatencyMilliseconds = 1500;
        await using var h = await Harness.StartAsync(options, resilience: r =>
        {
            Harness.Fast(r);
            r.AttemptTimeout = TimeSpan.FromSeconds(1);
            r.CircuitSamplingDuration = TimeSpan.FromSeconds(2);
        });
        var ct = TestContext.Current.CancellationToken;
        var schools = Enumerable.Range(0, Submissions).Select(i => string.Create(CultureInfo.InvariantCulture, $"0{60 + i:D2}322")).ToList();

        // Four at a time, as a vendor's worker would; whatever the retries could not finish is resumed from the ledger.
        using var gate = new SemaphoreSlim(4);
        var first = await Task.WhenAll(schools.Select(async school =>
        {
            await gate.WaitAsync(ct);
            try
            {
                return await h.Service.SubmitAsync(Rosters.Identity(school: school), new MemoryStream(Rosters.Grades(2, school: school)), ct);
            }
            finally
            {
                gate.Release();
            }
        }));
        for (var round = 0; round < 10 && (await h.Ledger.ListAsync(states: [SubmissionState.Pending, SubmissionState.Sent], cancellationToken: ct)).Count > 0; round++)
        {
            await h.Service.ResumeAsync(cancellationToken: ct);
        }

        var ledger = await h.Ledger.ListAsync(cancellationToken: ct);
        ledger.Count.ShouldBe(Submissions);
        ledger.ShouldAllBe(r => r.State == SubmissionState.Accepted && r.AcceptedRows == 4);
        h.Sandbox.Store.SubmissionCount.ShouldBe(Submissions);
        ledger.ShouldAllBe(r => h.Sandbox.Store.TimesStored(r.IdempotencyKey) == 1);
        first.Select(r => r.IdempotencyKey).ShouldBe(ledger.Select(r => r.IdempotencyKey), ignoreOrder: true);
        h.Sandbox.Store.FaultsInjected.ShouldBeGreaterThan(0);
        h.Sandbox.Store.Replays.ShouldBeGreaterThan(0); // faults after processing were answered from the first request on resend
    }
}
