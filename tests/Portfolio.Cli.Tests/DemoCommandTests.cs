using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Cli.Tests;

/// <summary>The main job end to end, twice over one folder: the second run submits nothing.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_WritesTheConfirmationDateInIso8601_UnderAThaiBuddhistCalendarCulture()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-demo-culture-").FullName;
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("th-TH");   // year 2568 in its own calendar
        try
        {
            var (exit, output, _) = await CliRunner.RunAsync("demo", "--out", folder, "--term", "113-1");

            exit.ShouldBe(ExitCodes.Success);
            var until = System.Text.RegularExpressions.Regex.Match(output, @"confirm or dispute until (?<date>\S+):");
            until.Success.ShouldBeTrue(output);
            until.Groups["date"].Value.ShouldMatch(@"^20\d\d-\d\d-\d\d$");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_RunsEndToEnd_AndASecondRunSubmitsNothingNew()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-demo-").FullName;
        try
        {
            var (exit, first) = await CliRunner.RunJsonAsync("demo", "--out", folder, "--term", "113-1", "--json");
            var (again, second) = await CliRunner.RunJsonAsync("demo", "--out", folder, "--term", "113-1", "--json");

            exit.ShouldBe(ExitCodes.Success);
            again.ShouldBe(ExitCodes.Success);
            var books = first.GetProperty("books").EnumerateArray().ToList();
            books.Select(b => b.GetProperty("id").GetString()).ShouldBe(["student", "grades", "cadre", "course-outcomes", "performances"]);
            books.ShouldAllBe(b => b.GetProperty("rows").GetInt32() > 0 && File.Exists(b.GetProperty("file").GetString()));
            foreach (var book in books.Where(b => b.GetProperty("file").GetString()!.EndsWith(".xlsx", StringComparison.Ordinal)))
            {
                await using var file = File.OpenRead(book.GetProperty("file").GetString()!);
                var report = new RosterWorkbookValidator().Validate(file, cancellationToken: TestContext.Current.CancellationToken);
                report.HasErrors.ShouldBeFalse();
                report.RowCounts.Values.Sum().ShouldBe(book.GetProperty("rows").GetInt32());
            }

            var diagnostics = first.GetProperty("diagnostics");
            diagnostics.GetProperty("PF3107").GetInt32().ShouldBeGreaterThan(0); // the policy's selection cap refused the extra outcome
            diagnostics.GetProperty("PF2102").GetInt32().ShouldBeGreaterThan(0); // the demo SIS's dirty rows, reported and left out

            var submissions = first.GetProperty("submissions").EnumerateArray().ToList();
            submissions.Count.ShouldBe(5);
            submissions.ShouldAllBe(s => s.GetProperty("state").GetString() == "receipt-received" && s.GetProperty("new").GetBoolean());
            submissions.ShouldAllBe(s => s.GetProperty("reconciliation").GetProperty("missing").GetInt32() == 0 && s.GetProperty("reconciliation").GetProperty("changed").GetInt32() == 0);
            second.GetProperty("newSubmissions").GetInt32().ShouldBe(0);

            // What the accepted per-year packages held is locked in the module store (YearPackageBuilder.LockSubmittedAsync).
            var packaged = books.Where(b => b.GetProperty("file").GetString()!.EndsWith(".zip", StringComparison.Ordinal)).Sum(b => b.GetProperty("rows").GetInt32());
            first.GetProperty("locks").GetProperty("locked").GetInt32().ShouldBe(packaged);
            second.GetProperty("locks").GetProperty("locked").GetInt32().ShouldBe(packaged);
            second.GetProperty("submissions").EnumerateArray().Select(s => s.GetProperty("key").GetString())
                .ShouldBe(submissions.Select(s => s.GetProperty("key").GetString()));
            second.GetProperty("submissions").EnumerateArray().ShouldAllBe(s => s.GetProperty("attempts").GetInt32() == 1);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_BadTerm_IsAUsageError()
    {
        var (exit, _, error) = await CliRunner.RunAsync("demo", "--term", "113-0");
        exit.ShouldBe(ExitCodes.UsageOrUnreadable);
        error.ShouldContain("--term");
    }
}
