using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Telemetry;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>The package's activities and counters fire, and no tag carries a student ID or an idempotency key.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task SubmitAndReconcile_EmitActivitiesAndCounters_WithoutPersonalDataInTags()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SubmissionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SubmissionTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        meterListener.Start();

        var sandbox = new SandboxOptions();
        sandbox.Faults.Rate = 0.6;
        sandbox.Faults.Kinds = "503";
        sandbox.Faults.Seed = 7;
        await using var h = await Harness.StartAsync(sandbox);
        var ct = TestContext.Current.CancellationToken;
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(3, invalid: 1)), ct);
        for (var i = 0; i < 5 && record.State != Ledger.SubmissionState.Accepted; i++)
        {
            record = await h.Service.SendAsync(record.IdempotencyKey, ct);
        }

        record.State.ShouldBe(Ledger.SubmissionState.Accepted);
        await h.Service.CollectReceiptsAsync(Rosters.School.Value, ct);
        var report = await h.Service.ReconcileAsync(record.IdempotencyKey, ct);
        meterListener.RecordObservableInstruments();

        var ours = activities.Where(a => a.GetTagItem(SubmissionTelemetry.BookTag) as string == "grades").ToList();
        ours.ShouldContain(a => a.OperationName == SubmissionTelemetry.SendActivity && (string?)a.GetTagItem(SubmissionTelemetry.StateTag) == "accepted");
        ours.ShouldContain(a => a.OperationName == SubmissionTelemetry.ReconcileActivity);
        measurements.ShouldContain(m => m.Instrument == SubmissionTelemetry.SubmissionsCounter && m.Tags.Any(t => t.Key == SubmissionTelemetry.StateTag && (string?)t.Value == "accepted"));
        measurements.ShouldContain(m => m.Instrument == SubmissionTelemetry.RetriesCounter && m.Tags.Any(t => t.Key == SubmissionTelemetry.ErrorTypeTag && (string?)t.Value == "503"));
        measurements.ShouldContain(m => m.Instrument == SubmissionTelemetry.ReconciliationRowsCounter && m.Tags.Any(t => (string?)t.Value == "matched"));
        measurements.ShouldContain(m => m.Instrument == SubmissionTelemetry.DiagnosticsCounter
            && m.Tags.Any(t => t.Key == SubmissionTelemetry.DiagnosticCodeTag && (string?)t.Value == "PF4014")
            && m.Tags.Any(t => t.Key == SubmissionTelemetry.DiagnosticSeverityTag));
        report.Matched.ShouldBeGreaterThan(0);

        string[] secrets = [.. Enumerable.Range(0, 3).Select(Rosters.StudentId), record.IdempotencyKey];
        var tagValues = activities.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.DisplayName).Append(a.StatusDescription ?? string.Empty))
            .Concat(measurements.SelectMany(m => m.Tags.Select(t => $"{t.Key}={t.Value}")))
            .ToList();
        tagValues.ShouldNotBeEmpty();
        foreach (var secret in secrets)
        {
            tagValues.ShouldNotContain(v => v.Contains(secret, StringComparison.OrdinalIgnoreCase), $"a tag carries {secret[..4]}…");
        }
    }
}
