using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Import;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

public sealed class BulkImportTests
{
    private static readonly RosterCover Cover = new(SchoolCode.Parse("060322"), new SchoolYear(113), Term.First);
    private static readonly RosterSheetLayout Cadres = RosterCatalogue.Default["cadre"].FindSheet("cadre-records")!.LayoutFor(new SchoolYear(113));
    private static readonly RosterSheetLayout Competitions = RosterCatalogue.Default["performances"].FindSheet("performance-competition")!.LayoutFor(new SchoolYear(113));

    static BulkImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static MemoryStream Fixture(string name) => new(File.ReadAllBytes(RepositoryPaths.Combine("tests", "Portfolio.Sdk.Sis.Tests", "Fixtures", name)));

    private static async Task<(BulkImportResult Result, List<ImportedRow> Rows)> ImportAsync(BulkImporter importer, Stream file, string name, IReadOnlyDictionary<string, string>? map = null)
    {
        var rows = new List<ImportedRow>();
        var result = await importer.ImportAsync(file, name, (row, _) =>
        {
            rows.Add(row);
            return ValueTask.CompletedTask;
        }, map, TestContext.Current.CancellationToken);
        return (result, rows);
    }

    private const string CompetitionCsv =
        "身分證號,競賽名稱,項目,競賽等級代碼,獎項,結果公布日期,內容簡述,團體參與代碼\r\n" +
        "A123456789,全國高級中等學校小論文寫作比賽,自然科學類,4,特優,2024/11/15,\"與同學合寫，我負責實驗設計與\"\"數據分析\"\"\",2\r\n" +
        "F131104093,臺中市英語演講比賽,,3,第一名,113/10/20,\"演講主題：\n永續城市\",1\r\n";

    [Fact]
    public async Task LegacyXls_CadreRecords_ImportsValidRowsAndReportsTheBadId()
    {
        var importer = new BulkImporter(Cadres, Cover, new InMemoryImportLedger());

        var (result, rows) = await ImportAsync(importer, Fixture("cadres.xls"), "cadres.xls");

        (result.Rows, result.Imported, result.Rejected).ShouldBe((3, 2, 1));
        result.Diagnostics.Single(d => d.IsError).Code.ShouldBe(DiagnosticCodes.NationalIdCheckDigit);
        result.Diagnostics.Single(d => d.IsError).Location!.Row.ShouldBe(4);
        // The unknown 備註 column is named by its letters, and its header text is quoted only redacted (it could be a name).
        var unknown = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ImportColumnUnknown);
        unknown.Location!.Column!.ShouldMatch("^[A-Z]+$");
        unknown.Message.ShouldNotContain("備註");
        var first = rows[0].Values;
        first[Cadres.IndexOf("birthDate")].ShouldBe("2008/05/13");
        first[Cadres.IndexOf("unitName")].ShouldBe("101班");
        first[Cadres.IndexOf("cadreLevel")].ShouldBe("2");
        rows[1].Values[Cadres.IndexOf("startDate")].ShouldBe("113/09/01");
        rows[1].Values[Cadres.IndexOf("endDate")].ShouldBeNull();
    }

    [Fact]
    public async Task ImportingTheSameFileAgain_ImportsNothingTwice()
    {
        var ledger = new InMemoryImportLedger();
        var importer = new BulkImporter(Cadres, Cover, ledger);

        var (first, _) = await ImportAsync(importer, Fixture("cadres.xls"), "cadres.xls");
        var (second, rows) = await ImportAsync(importer, Fixture("cadres.xls"), "cadres.xls");

        first.Imported.ShouldBe(2);
        (second.Imported, second.AlreadyImported, second.Rejected).ShouldBe((0, 2, 1));
        rows.ShouldBeEmpty();
        second.Diagnostics.Count(d => d.Code == DiagnosticCodes.ImportRowAlreadyImported).ShouldBe(2);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-8")]
    [InlineData("big5")]
    public async Task Csv_InEachEncodingSchoolsUse_ReadsTheSameRows(string encoding)
    {
        var bytes = encoding switch
        {
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(CompetitionCsv)],
            "utf-8" => Encoding.UTF8.GetBytes(CompetitionCsv),
            _ => Encoding.GetEncoding(950).GetBytes(CompetitionCsv),
        };
        using (var reader = TabularReader.Open(new MemoryStream(bytes)).Value!)
        {
            reader.Encoding!.CodePage.ShouldBe(encoding == "big5" ? 950 : 65001);
        }

        var importer = new BulkImporter(Competitions, Cover with { Term = Term.WholeYear }, new InMemoryImportLedger());
        var (result, rows) = await ImportAsync(importer, new MemoryStream(bytes), $"competitions-{encoding}.csv");

        result.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        result.Imported.ShouldBe(2);
        rows[0].Values[Competitions.IndexOf("summary")].ShouldBe("與同學合寫，我負責實驗設計與\"數據分析\"");
        rows[1].Values[Competitions.IndexOf("summary")].ShouldBe("演講主題：\n永續城市");
        rows[1].RowNumber.ShouldBe(3);
    }

    [Fact]
    public async Task OurOwnTemplate_FilledAsXlsx_ImportsFromItsSheetNotTheCover()
    {
        var book = RosterCatalogue.Default["cadre"];
        var stream = new MemoryStream();
        using (var writer = RosterWorkbookWriter.Create(stream, book, Cover))
        using (var sheet = writer.BeginSheet("cadre-records"))
        {
            var row = new string?[sheet.Layout.Columns.Count];
            row[sheet.Layout.IndexOf("nationalId")] = "A123456789";
            row[sheet.Layout.IndexOf("birthDate")] = "2008/05/13";
            row[sheet.Layout.IndexOf("unitName")] = "圖書館";
            row[sheet.Layout.IndexOf("startDate")] = "2024/09/01";
            row[sheet.Layout.IndexOf("position")] = "志工隊長";
            row[sheet.Layout.IndexOf("cadreLevel")] = "1";
            sheet.WriteRow(row);
        }

        stream.Position = 0;
        var (result, rows) = await ImportAsync(new BulkImporter(Cadres, Cover, new InMemoryImportLedger()), stream, "filled-template.xlsx");

        result.Imported.ShouldBe(1);
        rows.Single().Values[Cadres.IndexOf("position")].ShouldBe("志工隊長");
    }

    [Fact]
    public async Task HeaderMapping_ExplicitEntriesAndWidthFolding()
    {
        const string csv = "身分證號, 出生日期 ,職稱,單位,開始,幹部等級\nA123456789,2008/05/13,班長,101班,2024/08/30,2\n";
        var map = new Dictionary<string, string> { ["職稱"] = "position", ["單位"] = "單位名稱", ["開始"] = "startDate" };

        var (result, rows) = await ImportAsync(new BulkImporter(Cadres, Cover, new InMemoryImportLedger()), new MemoryStream(Encoding.UTF8.GetBytes(csv)), "mapped.csv", map);

        result.Diagnostics.ShouldBeEmpty();
        rows.Single().Values[Cadres.IndexOf("position")].ShouldBe("班長");
        rows.Single().Values[Cadres.IndexOf("unitName")].ShouldBe("101班");
    }

    [Fact]
    public async Task MissingRequiredColumn_RejectsTheFileWithNothingImported()
    {
        const string csv = "身分證號,單位名稱\nA123456789,101班\n";

        var (result, rows) = await ImportAsync(new BulkImporter(Cadres, Cover, new InMemoryImportLedger()), new MemoryStream(Encoding.UTF8.GetBytes(csv)), "short.csv");

        rows.ShouldBeEmpty();
        result.Diagnostics.Where(d => d.Code == DiagnosticCodes.ImportColumnMissing).Select(d => d.Location!.Column)
            .ShouldBe(["出生日期", "開始日期", "擔任職務", "幹部等級"]);
    }

    [Theory]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 })]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 })]
    public async Task CorruptWorkbooks_GiveADiagnosticNotAnException(byte[] bytes)
    {
        var (result, rows) = await ImportAsync(new BulkImporter(Cadres, Cover, new InMemoryImportLedger()), new MemoryStream(bytes), "broken");

        rows.ShouldBeEmpty();
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.ImportFileUnreadable);
    }

    [Theory]
    [MemberData(nameof(SisReaderIntegrationTests.Providers), MemberType = typeof(SisReaderIntegrationTests))]
    public async Task DatabaseLedger_SurvivesANewImporter(string provider)
    {
        await using var database = await TestSisDatabase.OpenAsync(provider);
        var ledger = new DbImportLedger(database.DataSource, database.Dialect);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        await ledger.EnsureCreatedAsync(TestContext.Current.CancellationToken);

        var (first, _) = await ImportAsync(new BulkImporter(Cadres, Cover, ledger), Fixture("cadres.xls"), "cadres.xls");
        var (second, rows) = await ImportAsync(new BulkImporter(Cadres, Cover, new DbImportLedger(database.DataSource, database.Dialect)), Fixture("cadres.xls"), "cadres.xls");

        first.Imported.ShouldBe(2);
        (second.Imported, second.AlreadyImported).ShouldBe((0, 2));
        rows.ShouldBeEmpty();
        await ledger.AddAsync("x", "y", TestContext.Current.CancellationToken);
        await ledger.AddAsync("x", "y", TestContext.Current.CancellationToken);
        (await ledger.ContainsAsync("x", "y", TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public void CsvReader_RoundTripsAnyFields()
    {
        var field = Gen.Elements("a", "b", ",", "\"", "\n", "\r\n", " ", "中", "", "x,y").ArrayOf().Select(parts => string.Concat(parts));
        var record = field.ArrayOf().Where(r => r.Length > 0 && r.Any(f => !string.IsNullOrWhiteSpace(f)));
        Prop.ForAll(record.ArrayOf().ToArbitrary(), records =>
        {
            var csv = string.Concat(records.Select(r => string.Join(',', r.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\r\n"));
            var parsed = CsvRows.Read(new StringReader(csv)).ToList();
            return parsed.Count == records.Length
                && parsed.Zip(records).All(p => p.First.Cells.SequenceEqual(p.Second));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void TabularReader_AnyBytes_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var outcome = TabularReader.Open(new MemoryStream(bytes ?? []));
            if (!outcome.Success)
            {
                return true;
            }

            // Reading rows never throws for bad content: it ends with a diagnostic.
            using var reader = outcome.Value!;
            return reader.ReadRows().Count() >= 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
