using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// Every row accounted for, over random dirty SIS data: NULLs, garbage, orphans and failed students planted at random in
/// a real SQLite SIS, 進修部 students among them; every book, the 進修部 one included, still balances (read = written + left out + for other books) and every row left out has
/// its own error diagnostic at its SIS row.
/// </summary>
public sealed class TermRosterAccountPropertyTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    // Each damage is one SQL statement against the demo SIS, aimed at a row chosen by the generated number.
    private static readonly Func<int, string>[] Damages =
    [
        n => $"UPDATE stud_class_hist SET seat_no = NULL WHERE rowid = {n % 40 + 1}",
        n => $"UPDATE stud_class_hist SET grade = NULL WHERE rowid = {n % 40 + 1}",
        n => $"UPDATE stud_class_hist SET class_name = NULL WHERE rowid = {n % 40 + 1}",
        n => $"UPDATE stud_base SET id_no = 'A12345678{n % 10}' WHERE rowid = {n % 12 + 1}",
        n => $"UPDATE stud_base SET birthday = 'not a date' WHERE rowid = {n % 12 + 1}",
        n => $"DELETE FROM stud_base WHERE rowid = {n % 12 + 1}",
        n => $"UPDATE score_sem SET score = 'x{n}' WHERE rowid = {n % 200 + 1}",
        n => $"UPDATE score_sem SET score_type = '{"NSTRDMQ"[n % 7]}', orig_sy = {(n % 3 == 0 ? "NULL" : "112")}, orig_sem = 1 WHERE rowid = {n % 200 + 1}",
        n => $"UPDATE score_sem SET pass_yn = NULL, count_credit = NULL WHERE rowid = {n % 200 + 1}",
        n => $"INSERT INTO score_sem SELECT 'ORPHAN{n}', course_id, sy, sem, score, pass_yn, re_score, re_pass, score_type, orig_sy, orig_sem, orig_course_code, count_credit FROM score_sem WHERE rowid = {n % 200 + 1}",
        n => $"UPDATE cadre_hist SET start_date = NULL, cadre_lv = {(n % 2 == 0 ? "NULL" : "9")} WHERE rowid = {n % 10 + 1}",
        n => $"INSERT INTO cadre_hist VALUES ('NOBODY{n}', 113, 1, '班級', '班長', 1, '113/09/01', NULL)",
        n => $"UPDATE course_open SET credit = NULL WHERE rowid = {n % 20 + 1}",
        n => $"UPDATE stud_base SET class_kind = '{(n % 2 == 0 ? "01" : "04")}' WHERE rowid = {n % 12 + 1}",   // a 進修部 student
        n => $"UPDATE stud_base SET class_kind = '01' WHERE rowid = {n % 12 + 1}; UPDATE score_sem SET score_type = '{"NTRSM"[n % 5]}', orig_sy = 112, orig_sem = 2 WHERE stud_no = (SELECT stud_no FROM stud_base WHERE rowid = {n % 12 + 1})",
    ];

    [Fact]
    public void EveryBook_Balances_OverRandomDirtySisData()
    {
        var damage = Gen.Choose(0, 10_000).Two().ListOf().Select(list => list.Take(12).ToArray());
        Prop.ForAll(Gen.Choose(1, 1000).ToArbitrary(), damage.ToArbitrary(), (seed, damages) => Check(seed, damages).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(12));
    }

    private static async Task<bool> Check(int seed, (int Kind, int Target)[] damages)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Seed = seed, Term = Term }, ct);
        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        {
            foreach (var (kind, target) in damages)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Damages[kind % Damages.Length](target);
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1" };
        var outputs = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        var results = await builder.WriteTermAsync(book => outputs[book.Id] = new MemoryStream(), SchoolCode.Parse("060322"), Term, ct);
        await AssertSameAsBookByBook(builder, results, outputs, ct);
        results.Take(4).Select(r => r.Book.Id).ShouldBe(["student", "cadre", "grades", "retake-grades"]);
        var continuingCounted = results.Take(4).Sum(r => r.Account.ForOtherBooks.GetValueOrDefault("continuing-grades"));
        results.Count.ShouldBe(continuingCounted > 0 ? 5 : 4);
        // Read means read: every grade row of the term once per book, never counted twice.
        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM score_sem WHERE sy = 113 AND sem = 1";
            var gradeRows = Convert.ToInt32(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            results.Skip(2).ShouldAllBe(r => r.Account.Read == gradeRows);
        }

        if (results.Count == 5)
        {
            // The 進修部 book reads the same grade rows, and takes exactly the ones the day books counted for it.
            var continuing = results[4].Account;
            continuing.Read.ShouldBe(results[2].Account.Read);
            (continuing.Read - continuing.ForOtherBooks.Values.Sum()).ShouldBeGreaterThanOrEqualTo(results[2].Account.ForOtherBooks.GetValueOrDefault("continuing-grades"));
        }

        foreach (var result in results)
        {
            TermRosterBuilderTests.AssertAccounted(result);
        }

        return true;
    }

    // WriteTermAsync reads the students and the grades once for all its books: each book must still be exactly the one
    // its own method writes alone (same bytes, same account, same diagnostics in the same order).
    internal static async Task AssertSameAsBookByBook(TermRosterBuilder builder, IReadOnlyList<TermRosterResult> results, Dictionary<string, MemoryStream> outputs, CancellationToken ct)
    {
        var school = SchoolCode.Parse("060322");
        outputs.Keys.Order(StringComparer.Ordinal).ShouldBe(results.Select(r => r.Book.Id).Order(StringComparer.Ordinal));
        foreach (var result in results)
        {
            using var alone = new MemoryStream();
            var single = result.Book.Id switch
            {
                "student" => await builder.WriteStudentDataAsync(alone, school, Term, ct),
                "cadre" => await builder.WriteCadresAsync(alone, school, Term, ct),
                "grades" => await builder.WriteGradesAsync(alone, school, Term, ct),
                "retake-grades" => await builder.WriteRetakeGradesAsync(alone, school, Term, ct),
                _ => await builder.WriteContinuingGradesAsync(alone, school, Term, ct),
            };
            outputs[result.Book.Id].ToArray().SequenceEqual(alone.ToArray()).ShouldBeTrue($"{result.Book.Id}: the bytes differ from the book written alone");
            result.RowCounts.ShouldBe(single.RowCounts, result.Book.Id);
            result.Account.Read.ShouldBe(single.Account.Read, result.Book.Id);
            result.Account.Written.ShouldBe(single.Account.Written, result.Book.Id);
            result.Account.LeftOutByCause.ShouldBe(single.Account.LeftOutByCause, result.Book.Id);
            result.Account.ForOtherBooks.ShouldBe(single.Account.ForOtherBooks, result.Book.Id);
            result.Diagnostics.Select(d => (d.Code, d.Location, d.Message)).ShouldBe(single.Diagnostics.Select(d => (d.Code, d.Location, d.Message)), result.Book.Id);
        }
    }
}
