using System.Net;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Storage;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>16 parallel HTTP selections for one student never pass the caps (6 course outcomes, 10 多元表現 a year).</summary>
public sealed class ConcurrencyTests
{
    public static TheoryData<string> Providers() => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SixteenParallelSelections_NeverExceedTheCaps(string provider)
    {
        await using var server = await PortalServer.StartAsync(provider);
        var studentActor = PortalServer.Student();
        var teacher = PortalServer.Teacher();
        var outcomes = new List<Workflow.CourseOutcome>();
        for (var i = 0; i < 16; i++)
        {
            outcomes.Add(await server.CertifiedOutcomeAsync(studentActor, teacher));
        }

        var performances = new List<Workflow.PerformanceItem>();
        for (var i = 0; i < 16; i++)
        {
            var uploaded = await server.Module.UploadPerformanceAsync(studentActor, new PerformanceUpload
            {
                StudentKey = studentActor.StudentKey!,
                ClassName = "101",
                Category = "performance-competition",
                Date = new DateOnly(2024, 9, 1 + i),
                Summary = "全國科展化學組：我負責實驗設計與數據分析。",
                Files = [PortalServer.Pdf($"proof {i}")],
            }, UserClient.Token);
            uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
            performances.Add(uploaded.Value!);
        }

        // Each request on its own connection, all released at once.
        var clients = Enumerable.Range(0, 32).Select(_ => server.As(studentActor)).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var courseTasks = outcomes.Select((o, i) => Task.Run(async () =>
            {
                await start.WaitAsync(UserClient.Token);
                return await clients[i].PostAsync($"/portfolio/course-outcomes/{o.Id}/select", new { version = o.Version, year = 113 });
            })).ToList();
            var performanceTasks = performances.Select((p, i) => Task.Run(async () =>
            {
                await start.WaitAsync(UserClient.Token);
                return await clients[16 + i].PostAsync($"/portfolio/performances/{p.Id}/select", new { version = p.Version, year = 113, entryYear = 113 });
            })).ToList();
            start.Release(32);
            var course = await Task.WhenAll(courseTasks);
            var perf = await Task.WhenAll(performanceTasks);

            course.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(6, string.Join("\n", course.Select(r => r.ToString())));
            course.Where(r => r.Status != HttpStatusCode.OK).ShouldAllBe(r => r.Status == HttpStatusCode.BadRequest && r.Code == "PF3107");
            perf.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(10, string.Join("\n", perf.Select(r => r.ToString())));
            perf.Where(r => r.Status != HttpStatusCode.OK).ShouldAllBe(r => r.Status == HttpStatusCode.BadRequest && r.Code == "PF3107");
            (await server.Module.Store.CountSelectedAsync(PortalServer.StudentKey, new SchoolYear(113), UserClient.Token)).ShouldBe(6);
            (await server.Module.Store.CountSelectedPerformancesAsync(PortalServer.StudentKey, new SchoolYear(113), UserClient.Token)).ShouldBe(10);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
