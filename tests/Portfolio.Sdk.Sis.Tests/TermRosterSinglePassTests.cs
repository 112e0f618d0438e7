using System.Diagnostics;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// <see cref="TermRosterBuilder.WriteTermAsync"/> reads each SIS table once for all the term's books (the students once,
/// the grades once for the three grade books), and each book is still the one its own method writes.
/// </summary>
[Collection(SisTelemetryTests.Name)]
public sealed class TermRosterSinglePassTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    [Fact]
    public async Task WriteTerm_ReadsEachTableOnce_AndWritesTheSameBooksAsOneByOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 30, Term = Term }, ct);

        // Two 進修部 students, so that the 進修部 book is written too.
        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE stud_base SET class_kind = '01' WHERE stud_no IN (SELECT stud_no FROM stud_base WHERE id_no IS NOT NULL ORDER BY stud_no LIMIT 2)";
            await command.ExecuteNonQueryAsync(ct);
        }

        var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1" };
        using var testSource = new ActivitySource("Portfolio.Sdk.Sis.Tests.SinglePass");
        var reads = new List<string>();
        var builds = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is SisTelemetry.Name or "Portfolio.Sdk.Sis.Tests.SinglePass",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (reads)
                {
                    // Only this test's trace: other tests may read a SIS at the same time.
                    if (a.OperationName == "sis.read" && a.RootId == Root?.RootId)
                    {
                        reads.Add((string)a.GetTagItem(SisTelemetry.RecordKindTag)!);
                    }
                    else if (a.OperationName == "sis.roster.build" && a.RootId == Root?.RootId)
                    {
                        builds.Add((string)a.GetTagItem(PortfolioTelemetry.RosterBookTag)!);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var outputs = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        IReadOnlyList<TermRosterResult> results;
        using (Root = testSource.StartActivity("term"))
        {
            Root.ShouldNotBeNull();
            results = await builder.WriteTermAsync(book => outputs[book.Id] = new MemoryStream(), SchoolCode.Parse("060322"), Term, ct);
        }

        results.Select(r => r.Book.Id).ShouldBe(["student", "cadre", "grades", "retake-grades", "continuing-grades"]);
        lock (reads)
        {
            reads.Order(StringComparer.Ordinal).ShouldBe(new[] { "students", "studentTerms", "cadres", "grades" }.Order(StringComparer.Ordinal));
            builds.Order(StringComparer.Ordinal).ShouldBe(results.Select(r => r.Book.Id).Order(StringComparer.Ordinal));
        }

        await TermRosterAccountPropertyTests.AssertSameAsBookByBook(builder, results, outputs, ct);
    }

    private static Activity? Root { get; set; }
}
