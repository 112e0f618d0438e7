using System.Diagnostics;
using System.Diagnostics.Metrics;
using Quartz;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// The telemetry of Portfolio.Sdk.Scheduling (遙測): one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named <see cref="Name"/>. Every job run is an activity (the SIS, roster and submission work it does nests under it)
/// and is counted by job and outcome; never a school's code, a student's ID or a name.
/// </summary>
/// <remarks>
/// Instruments: <c>portfolio.scheduling.job.runs</c> (by <c>portfolio.job.name</c>, <c>portfolio.job.recovering</c>
/// and <c>portfolio.outcome</c>: <c>success</c>, <c>failure</c>, <c>cancelled</c>; failures also carry
/// <c>error.type</c>) and <c>portfolio.scheduling.job.duration</c> (seconds). Activity: <c>job.run</c>.
/// </remarks>
public static class SchedulingTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Portfolio.Sdk.Scheduling</c>.</summary>
    public const string Name = "Portfolio.Sdk.Scheduling";

    /// <summary>The tag of a job's name (its type: <c>SemesterRostersJob</c>…).</summary>
    public const string JobNameTag = "portfolio.job.name";

    internal static readonly ActivitySource Source = new(Name, typeof(SchedulingTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(SchedulingTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Runs = Meter.CreateCounter<long>("portfolio.scheduling.job.runs", "{run}", "Job runs, by job and outcome.");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("portfolio.scheduling.job.duration", "s", "How long job runs take.");

    /// <summary>Runs a job's work inside its activity and records the run and its outcome.</summary>
    internal static async ValueTask RunAsync(IJobExecutionContext context, string jobName, Func<Task> work, CancellationToken cancellationToken)
    {
        var job = new KeyValuePair<string, object?>(JobNameTag, jobName);
        var recovering = new KeyValuePair<string, object?>("portfolio.job.recovering", context.Recovering);
        using var activity = Source.StartActivity("job.run", ActivityKind.Internal, default(ActivityContext), [job, recovering]);
        var started = Stopwatch.GetTimestamp();
        var tags = new TagList { job, recovering };
        try
        {
            await work().ConfigureAwait(false);
            tags.Add(PortfolioTelemetry.OutcomeTag, "success");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            tags.Add(PortfolioTelemetry.OutcomeTag, "cancelled");
            throw;
        }
        catch (Exception ex)
        {
            tags.Add(PortfolioTelemetry.OutcomeTag, "failure");
            tags.Add("error.type", ex.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            Runs.Add(1, tags);
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            foreach (var tag in tags)
            {
                activity?.SetTag(tag.Key, tag.Value);
            }
        }
    }
}
