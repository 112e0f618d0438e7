using System.IO.Compression;
using System.Text;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Tests;

namespace Portfolio.Cli.Tests;

/// <summary>
/// Every command over a corpus of hostile files made at run time: no stack trace, no unhandled exception, each file
/// its own outcome, and no 身分證號 or name seeded into a workbook ever printed or stored.
/// </summary>
public sealed class HostileCliTests : IAsyncLifetime
{
    private const string SeededId = "A108948473";
    private const string SeededName = "劉冠宇";

    private readonly string _folder = Directory.CreateTempSubdirectory("portfolio-cli-hostile-").FullName;
    private RunningSandbox _sandbox = null!;

    public async ValueTask InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string[] Common() => ["--ledger", Path.Combine(_folder, "ledger.db"), "--outbox", Path.Combine(_folder, "outbox")];

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static void ShouldHaveNoStackTrace(string text, string what)
    {
        text.ShouldNotContain("   at ", Case.Sensitive, what);
        text.ShouldNotContain("Unhandled exception", Case.Insensitive, what);
        text.ShouldNotContain("--- End of", Case.Sensitive, what);
    }

    private static byte[] Rewrite(byte[] zip, Func<string, string, string>? xml = null, Action<ZipArchive>? add = null)
    {
        var output = new MemoryStream();
        using (var from = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        using (var to = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in from.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(to.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                writer.Write(xml is null ? text : xml(entry.FullName, text));
            }

            add?.Invoke(to);
        }

        return output.ToArray();
    }

    private static string WithDtd(string text)
    {
        var end = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        return text[..end] + "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + text[end..];
    }

    // Mutations of a valid roster: flipped bytes, XML cut or given a DTD or stray markup, unsafe and duplicate entries, manifests with null or duplicate paths.
    private static IEnumerable<(string Name, byte[] Content)> Corpus(byte[] valid)
    {
        var random = new Random(16);
        string[] inserts = ["<", "]]>", "<c r=\"A1\" t=\"s\"><v>99999</v></c>", "<row r=\"x\">", "\u0001", "</sheetData>", "&e;"];
        for (var i = 0; i < 24; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            yield return ($"flip{i}.xlsx", bytes);
        }

        for (var i = 0; i < 24; i++)
        {
            var target = random.Next(5);
            var n = 0;
            yield return ($"xml{i}.xlsx", Rewrite(valid, (_, text) =>
            {
                if (n++ != target || text.Length == 0)
                {
                    return text;
                }

                var at = random.Next(text.Length);
                return (i % 3) switch { 0 => text[..at], 1 => text[..at] + inserts[random.Next(inserts.Length)] + text[at..], _ => WithDtd(text) };
            }));
        }

        yield return ("slip.xlsx", Rewrite(valid, add: z => z.CreateEntry("../../evil").Open().Dispose()));
        yield return ("dup.xlsx", Rewrite(valid, add: z => z.CreateEntry("[CONTENT_TYPES].XML").Open().Dispose()));
        foreach (var (manifest, i) in new[]
        {
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":null},"files":[]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx","type":"xlsx","length":1,"md5":"a","sha256":"b"},"files":[null,{"path":"roster.xlsx"}]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx","type":"xlsx","length":1,"md5":"a","sha256":"b"},"files":[{"path":"a.pdf","type":"pdf","length":1,"md5":"a","sha256":"b"},{"path":"A.PDF","type":"pdf","length":1,"md5":"a","sha256":"b"}]}""",
            "{",
        }.Select((m, i) => (m, i)))
        {
            var package = new MemoryStream();
            using (var zip = new ZipArchive(package, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var m = zip.CreateEntry("manifest.json").Open())
                {
                    m.Write(Encoding.UTF8.GetBytes(manifest));
                }

                using var w = zip.CreateEntry("roster.xlsx").Open();
                w.Write(valid);
            }

            yield return ($"manifest{i}.zip", package.ToArray());
        }
    }

    [Fact]
    public async Task EveryCommand_OverTheFuzzCorpus_PrintsNoStackTrace()
    {
        var valid = Rosters.Grades(2);
        var good = Write("good.xlsx", valid);
        var (dropped, drop) = await CliRunner.RunJsonAsync(["submit", good, "--drop", Path.Combine(_folder, "drop"), "--json", .. Common()]);
        dropped.ShouldBe(ExitCodes.Success);
        var key = drop.GetProperty("submissions")[0].GetProperty("key").GetString()!;

        var runs = 0;
        foreach (var (name, content) in Corpus(valid))
        {
            var file = Write(name, content);
            string[][] commands =
            [
                ["roster", "validate", file, "--json"],
                ["roster", "validate", file],
                ["validate", file],
                ["roster", "inspect", file],
                ["roster", "inspect", file, "--json"],
                ["roster", "verify-package", file, "--json"],
                ["receipts", "import", file, "--key", key, "--sheet", "semester-grades", .. Common()],
            ];
            foreach (var command in commands)
            {
                var (exit, output, error) = await CliRunner.RunAsync(command);
                ShouldHaveNoStackTrace(output + error, $"{string.Join(' ', command)} → {exit}");
                if (command.Contains("--json") && output.Length > 0)
                {
                    Should.NotThrow(() => System.Text.Json.JsonDocument.Parse(output).Dispose(), string.Join(' ', command));
                }

                runs++;
            }
        }

        runs.ShouldBe(54 * 7);
    }

    [Fact]
    public async Task Submit_GoodBadGood_ReportsEachFile_AndSendsBothGoodOnes()
    {
        var a = Write("a.xlsx", Rosters.Grades(1));
        var bad = Write("bad.xlsx", Rewrite(Rosters.Grades(1), (n, t) => n.Contains("worksheets", StringComparison.Ordinal) ? WithDtd(t) : t));
        var missing = Path.Combine(_folder, "missing.xlsx");
        var c = Write("c.xlsx", Rosters.Grades(1, school: "063301"));

        var (exit, json) = await CliRunner.RunJsonAsync(["submit", a, bad, missing, c, "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);

        exit.ShouldBe(ExitCodes.UsageOrUnreadable);
        var submissions = json.GetProperty("submissions");
        submissions.GetArrayLength().ShouldBe(4);
        submissions[0].GetProperty("state").GetString().ShouldBe("accepted");
        submissions[1].GetProperty("diagnostics").GetArrayLength().ShouldBeGreaterThan(0);
        submissions[2].GetProperty("diagnostics").GetArrayLength().ShouldBeGreaterThan(0);
        submissions[3].GetProperty("state").GetString().ShouldBe("accepted");
        _sandbox.Store.SubmissionCount.ShouldBe(2);
    }

    [Fact]
    public async Task RetriesZeroSubmits_RetriesOutOfRange_AndALedgerThatCannotBeOpened_AreUsageErrors_WithoutAStackTrace()
    {
        var roster = Write("r.xlsx", Rosters.Grades(1));
        var (zero, zeroOutput, zeroError) = await CliRunner.RunAsync(["submit", roster, "--gateway", _sandbox.BaseAddress.ToString(), "--retries", "0", .. Common()]);
        zero.ShouldBe(ExitCodes.Success, zeroOutput + zeroError);   // the validator allows 0 and so does the pipeline: no retries
        ShouldHaveNoStackTrace(zeroOutput + zeroError, "--retries 0");

        var (retries, output, error) = await CliRunner.RunAsync(["submit", roster, "--gateway", _sandbox.BaseAddress.ToString(), "--retries", "21", .. Common()]);
        retries.ShouldBe(ExitCodes.UsageOrUnreadable);
        error.ShouldContain("--retries");
        ShouldHaveNoStackTrace(output + error, "--retries 21");

        foreach (var ledger in new[] { _folder, Path.Combine(_folder, "no", "such", "dir", "ledger.db"), Write("notadb.db", Encoding.UTF8.GetBytes(new string('x', 4096))) })
        {
            var (exit, o, e) = await CliRunner.RunAsync(["submit", roster, "--gateway", _sandbox.BaseAddress.ToString(), "--ledger", ledger, "--outbox", Path.Combine(_folder, "outbox")]);
            exit.ShouldBe(ExitCodes.UsageOrUnreadable, ledger);
            e.ShouldContain("PF1313");
            ShouldHaveNoStackTrace(o + e, ledger);
            var (listed, lo, le) = await CliRunner.RunAsync(["ledger", "--ledger", ledger, "--outbox", Path.Combine(_folder, "outbox"), "--json"]);
            listed.ShouldBe(ExitCodes.UsageOrUnreadable, ledger);
            ShouldHaveNoStackTrace(lo + le, ledger);
        }
    }

    [Fact]
    public async Task SeededIdsAndNames_InEveryColumnOfEverySheetOfEveryBook_AreNeverPrintedOrStored()
    {
        var cover = new Portfolio.Sdk.Rosters.RosterCover(SchoolCode.Parse("060322"), new SchoolYear(113), Term.First);
        var files = new List<string>();
        foreach (var book in RosterCatalogue.Default.Books)   // semester and per-year books alike
        {
            var stream = new MemoryStream();
            using (var writer = RosterWorkbookWriter.Create(stream, book, Portfolio.Sdk.Rosters.RosterCover.For(book, cover.School, new SchoolTerm(cover.Year, cover.Term))))
            {
                foreach (var sheet in book.Sheets)
                {
                    var layout = sheet.LayoutFor(cover.Year);
                    using var rows = writer.BeginSheet(sheet.Id);
                    for (var r = 0; r < 4; r++)
                    {
                        rows.WriteRow([.. layout.Columns.Select((_, i) => (i + r) % 2 == 0 ? SeededId : SeededName)]);
                    }
                }
            }

            files.Add(Write(book.Id + ".xlsx", stream.ToArray()));

            // The same book with the seeded values on its cover too.
            files.Add(Write(book.Id + "-cover.xlsx", Rewrite(stream.ToArray(), (n, t) => n.EndsWith("sheet1.xml", StringComparison.Ordinal)
                ? t.Replace("060322", SeededId, StringComparison.Ordinal).Replace(book.Name, SeededName, StringComparison.Ordinal) : t)));
        }

        files.Count.ShouldBeGreaterThan(2);
        var outputs = new StringBuilder();
        foreach (var file in files)
        {
            foreach (var command in new[] { new[] { "roster", "validate", file }, ["roster", "validate", file, "--json"], ["roster", "inspect", file], ["roster", "inspect", file, "--json"] })
            {
                var (_, output, error) = await CliRunner.RunAsync(command);
                outputs.Append(output).Append(error);
            }
        }

        var (_, submitted, submitError) = await CliRunner.RunAsync(["submit", .. files, "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);
        outputs.Append(submitted).Append(submitError);
        var (_, ledger, ledgerError) = await CliRunner.RunAsync(["ledger", "--json", .. Common()]);
        outputs.Append(ledger).Append(ledgerError);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "ledger.db")};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(diagnostics_json, '') || COALESCE(last_error, '') FROM portfolio_submission";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                outputs.Append(reader.GetString(0));
            }
        }

        var all = outputs.ToString();
        all.ShouldContain("PF");
        var lines = all.Split('\n').Where(l => l.Contains(SeededId, StringComparison.Ordinal) || l.Contains(SeededName, StringComparison.Ordinal)).Distinct().Take(10);
        string.Join("\n", lines).ShouldBeEmpty();
        all.ShouldNotContain(SeededId);
        all.ShouldNotContain(SeededName);
    }
}
