using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>SIS → rosters on the demo SIS (real SQLite, PostgreSQL and MariaDB): every written workbook validates clean; the dirty SIS rows are left out with diagnostics.</summary>
public sealed class TermRosterBuilderTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DemoSis_BuildsThreeRostersThatValidateClean(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync(provider);
        var counts = await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 40, Term = Term, Dialect = database.Dialect }, ct);
        var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1" };

        var results = new List<(TermRosterResult Result, RosterValidationReport Report)>();
        foreach (var write in new Func<Stream, Task<TermRosterResult>>[]
        {
            s => builder.WriteStudentDataAsync(s, School, Term, ct),
            s => builder.WriteGradesAsync(s, School, Term, ct),
            s => builder.WriteCadresAsync(s, School, Term, ct),
        })
        {
            using var output = new MemoryStream();
            var result = await write(output);
            output.Position = 0;
            results.Add((result, new RosterWorkbookValidator().Validate(output, result.Book.Id, ct)));
        }

        results.Select(r => r.Result.Book.Id).ShouldBe(["student", "grades", "cadre"]);
        foreach (var (result, report) in results)
        {
            var errors = report.Diagnostics.Where(d => d.IsError).Take(5).Select(d => d.ToString());
            (result.Book.Id, result.Rows, string.Join("\n", errors)).ShouldBe((result.Book.Id, result.Rows, string.Empty));
        }

        results[0].Result.Diagnostics.Where(d => d.IsError).ShouldAllBe(d => d.Location!.Source!.StartsWith("sis:", StringComparison.Ordinal)); // only the SIS's own dirty rows
        results.ShouldAllBe(r => r.Result.Rows > 0 && !r.Report.HasErrors);
        results.ShouldAllBe(r => r.Report.RowCounts.Values.Sum() == r.Result.Rows);
        results[0].Result.Rows.ShouldBeLessThanOrEqualTo(counts.Students);
        results[1].Result.RowsLeftOut.ShouldBeGreaterThan(0);       // the demo's dirty grade rows
        results[1].Result.Diagnostics.ShouldContain(d => d.IsError); // ... each with its reason
        (results[1].Result.Rows + results[1].Result.RowsLeftOut).ShouldBeLessThanOrEqualTo(counts.Scores);
    }
}
