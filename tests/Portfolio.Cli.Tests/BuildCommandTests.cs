using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Cli.Tests;

public sealed class BuildCommandTests
{
    [Fact]
    public async Task Build_FromADemoSisThroughTheSampleProfile_WritesValidRosters_AndReportsTheLeftOutRows()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-build-").FullName;
        try
        {
            var sis = Path.Combine(folder, "sis.db");
            (await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", sis, "--students", "25", "--term", "113-1")).ExitCode.ShouldBe(ExitCodes.Success);

            var (exit, json) = await CliRunner.RunJsonAsync("build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"),
                "--provider", "sqlite", "--connection", sis, "--school", "060322", "--term", "113-1", "--division", "1", "--out", Path.Combine(folder, "out"), "--json");

            exit.ShouldBe(ExitCodes.Invalid); // the demo SIS holds dirty rows on purpose
            var books = json.GetProperty("books").EnumerateArray().ToList();
            books.Select(b => b.GetProperty("id").GetString()).ShouldBe(["student", "grades", "retake-grades", "cadre"]);
            books.Sum(b => b.GetProperty("leftOut").GetInt32()).ShouldBeGreaterThan(0);
            foreach (var book in books)
            {
                await using var file = File.OpenRead(book.GetProperty("file").GetString()!);
                var report = new RosterWorkbookValidator().Validate(file, cancellationToken: TestContext.Current.CancellationToken);
                report.HasErrors.ShouldBeFalse();
                report.RowCounts.Values.Sum().ShouldBe(book.GetProperty("rows").GetInt32());
                var account = book.GetProperty("account");
                var leftOut = account.GetProperty("leftOutByCause").EnumerateObject().Sum(p => p.Value.GetInt32());
                var others = account.GetProperty("forOtherBooks").EnumerateObject().Sum(p => p.Value.GetInt32());
                account.GetProperty("read").GetInt32().ShouldBe(account.GetProperty("written").GetInt32() + leftOut + others);
                leftOut.ShouldBe(book.GetProperty("leftOut").GetInt32());
            }

            var (validated, _, _) = await CliRunner.RunAsync(["validate", .. books.Select(b => b.GetProperty("file").GetString()!)]);
            validated.ShouldBe(ExitCodes.Success);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Build_OfASchoolWithA進修部_WritesThe進修部BookByDefault_AndItValidates()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-build-").FullName;
        try
        {
            var sis = Path.Combine(folder, "sis.db");
            (await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", sis, "--students", "12", "--term", "113-1")).ExitCode.ShouldBe(ExitCodes.Success);
            await using (var connection = new SqliteConnection($"Data Source={sis};Pooling=False"))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE stud_base SET class_kind = '01' WHERE stud_no IN (SELECT stud_no FROM stud_base ORDER BY stud_no LIMIT 4)";
                (await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)).ShouldBe(4);
            }

            var (exit, json) = await CliRunner.RunJsonAsync("build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"),
                "--provider", "sqlite", "--connection", sis, "--school", "060322", "--term", "113-1", "--division", "1", "--out", Path.Combine(folder, "out"), "--json");

            exit.ShouldBe(ExitCodes.Invalid);
            var books = json.GetProperty("books").EnumerateArray().ToList();
            books.Select(b => b.GetProperty("id").GetString()).ShouldBe(["student", "grades", "retake-grades", "cadre", "continuing-grades"]);
            var continuing = books[^1];
            continuing.GetProperty("rows").GetInt32().ShouldBeGreaterThan(0);
            books[1].GetProperty("account").GetProperty("forOtherBooks").GetProperty("continuing-grades").GetInt32().ShouldBeGreaterThan(0);
            await using var file = File.OpenRead(continuing.GetProperty("file").GetString()!);
            var report = new RosterWorkbookValidator().Validate(file, cancellationToken: TestContext.Current.CancellationToken);
            report.HasErrors.ShouldBeFalse();
            report.RowCounts.Values.Sum().ShouldBe(continuing.GetProperty("rows").GetInt32());

            // Asked for by name only: no 進修部 book.
            var (_, only) = await CliRunner.RunJsonAsync("build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"),
                "--provider", "sqlite", "--connection", sis, "--school", "060322", "--term", "113-1", "--division", "1", "--out", Path.Combine(folder, "out2"), "--books", "grades", "--json");
            only.GetProperty("books").EnumerateArray().Select(b => b.GetProperty("id").GetString()).ShouldBe(["grades"]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Build_ShowsWhatChangedSinceTheLastSubmission_ByRowKey_WithMaskedIds()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-build-").FullName;
        try
        {
            var sis = Path.Combine(folder, "sis.db");
            string[] ledger = ["--ledger", Path.Combine(folder, "ledger.db"), "--outbox", Path.Combine(folder, "outbox")];
            (await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", sis, "--students", "12", "--term", "113-1")).ExitCode.ShouldBe(ExitCodes.Success);
            string[] build = ["build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"), "--provider", "sqlite", "--connection", sis,
                "--school", "060322", "--term", "113-1", "--division", "1", "--books", "grades,cadre"];

            // Without a ledger: nothing to compare with, and no ledger is created.
            var (_, first) = await CliRunner.RunJsonAsync([.. build, "--out", Path.Combine(folder, "first"), "--json", .. ledger]);
            first.GetProperty("books")[0].GetProperty("changes").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
            File.Exists(Path.Combine(folder, "ledger.db")).ShouldBeFalse();
            var grades = first.GetProperty("books")[0].GetProperty("file").GetString()!;
            (await CliRunner.RunAsync(["submit", grades, "--drop", Path.Combine(folder, "drop"), .. ledger])).ExitCode.ShouldBe(ExitCodes.Success);

            // One score changes in the SIS (on the same side of the pass mark).
            string id;
            await using (var connection = new SqliteConnection($"Data Source={sis};Pooling=False"))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE score_sem SET score = score + 0.5 WHERE rowid = (SELECT MIN(s.rowid) FROM score_sem s JOIN stud_base b ON b.stud_no = s.stud_no "
                    + "WHERE s.sy = 113 AND s.sem = 1 AND s.score_type = 'N' AND s.score BETWEEN 61 AND 98 AND s.re_score IS NULL AND b.stud_no <> (SELECT stud_no FROM stud_base ORDER BY stud_no LIMIT 1 OFFSET 7)) RETURNING stud_no";
                var number = (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
                command.CommandText = $"SELECT id_no FROM stud_base WHERE stud_no = '{number}'";
                id = (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            }

            var (_, second) = await CliRunner.RunJsonAsync([.. build, "--out", Path.Combine(folder, "second"), "--json", .. ledger]);
            var changes = second.GetProperty("books")[0].GetProperty("changes");
            changes.GetProperty("submitted").GetProperty("revision").GetInt32().ShouldBe(1);
            changes.GetProperty("sameContent").GetBoolean().ShouldBeFalse();
            (changes.GetProperty("added").GetInt32(), changes.GetProperty("removed").GetInt32(), changes.GetProperty("changed").GetInt32()).ShouldBe((0, 0, 1));
            var row = changes.GetProperty("rows")[0];
            row.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ShouldBe(["score"]);
            row.GetProperty("key").GetString()!.ShouldStartWith(Sdk.Privacy.Redaction.MaskIdentifier(id));
            second.GetProperty("books")[1].GetProperty("changes").GetProperty("submitted").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);   // cadre: never sent

            var (_, text, _) = await CliRunner.RunAsync([.. build, "--out", Path.Combine(folder, "third"), .. ledger]);
            text.ShouldContain("since r1 (Sent):");
            text.ShouldContain("0 added, 0 removed, 1 changed rows");
            text.ShouldContain("~ semester-grades " + Sdk.Privacy.Redaction.MaskIdentifier(id));
            text.ShouldContain("not submitted yet");
            text.ShouldNotContain(id);

            // Rebuilt unchanged since a submission of the same content: same content.
            var changedFile = second.GetProperty("books")[0].GetProperty("file").GetString()!;
            (await CliRunner.RunAsync(["submit", changedFile, "--drop", Path.Combine(folder, "drop"), .. ledger])).ExitCode.ShouldBe(ExitCodes.Success);
            var (_, fourth, _) = await CliRunner.RunAsync([.. build, "--out", Path.Combine(folder, "fourth"), .. ledger]);
            fourth.ShouldContain("since r2 (Sent): 內容相同 / same content");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Build_WithoutADivisionFromTheProfileOrTheCommand_IsAUsageError_NotEveryStudentLeftOut()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-build-").FullName;
        try
        {
            var sis = Path.Combine(folder, "sis.db");
            (await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", sis, "--students", "5", "--term", "113-1")).ExitCode.ShouldBe(ExitCodes.Success);

            var (exit, output, error) = await CliRunner.RunAsync("build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"),
                "--provider", "sqlite", "--connection", sis, "--school", "060322", "--term", "113-1", "--out", Path.Combine(folder, "out"));

            exit.ShouldBe(ExitCodes.UsageOrUnreadable);
            error.ShouldContain("--division");
            Directory.Exists(Path.Combine(folder, "out")).ShouldBeFalse(output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Build_WithAMissingProfile_IsAUsageErrorWithAMessage()
    {
        var (exit, _, error) = await CliRunner.RunAsync("build", "--profile", "nope.json", "--provider", "sqlite", "--connection", "x.db", "--school", "060322", "--term", "113-1");
        exit.ShouldBe(ExitCodes.UsageOrUnreadable);
        error.ShouldContain("nope.json");
    }

    [Fact]
    public async Task Validate_OnACorruptFile_IsExit2WithADiagnosticAndNoStackTrace()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], TestContext.Current.CancellationToken);
        try
        {
            var (exit, output, error) = await CliRunner.RunAsync("validate", path);
            exit.ShouldBe(ExitCodes.UsageOrUnreadable);
            (output + error).ShouldContain("PF10");
            (output + error).ShouldNotContain("   at ");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
