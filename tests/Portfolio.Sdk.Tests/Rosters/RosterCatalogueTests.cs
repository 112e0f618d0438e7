using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Tests.Rosters;

public sealed class RosterCatalogueTests
{
    [Theory]
    [InlineData("student", "學生資料名冊", RosterCadence.Semester, new[] { "學生資料", "學生借讀資料" })]
    [InlineData("cadre", "校內幹部經歷名冊", RosterCadence.Semester, new[] { "幹部經歷紀錄" })]
    [InlineData("grades", "學生成績名冊", RosterCadence.Semester, new[] { "學期成績", "補修成績", "轉學轉科成績" })]
    [InlineData("retake-grades", "學生重修重讀成績名冊", RosterCadence.Semester, new[] { "重修成績", "重讀成績" })]
    [InlineData("continuing-grades", "進修部學生成績名冊", RosterCadence.Semester, new[] { "學期成績", "補考成績", "轉學轉科成績" })]
    [InlineData("course-outcomes", "學生課程學習成果名冊", RosterCadence.Year, new[] { "學期課程學習成果", "補修課程學習成果", "重修課程學習成果", "重讀課程學習成果", "轉學轉科課程學習成果", "借讀課程學習成果" })]
    [InlineData("continuing-course-outcomes", "進修部學生課程學習成果名冊", RosterCadence.Year, new[] { "學期課程學習成果", "轉學轉科課程學習成果", "借讀課程學習成果" })]
    [InlineData("performances", "學生自填多元表現名冊", RosterCadence.Year, new[] { "幹部經歷暨事蹟紀錄", "競賽參與紀錄", "檢定證照紀錄", "服務學習紀錄", "彈性學習時間紀錄", "團體活動時間紀錄", "職場學習紀錄", "作品成果紀錄", "大學及技專校院先修課程紀錄", "其他多元表現紀錄" })]
    public void Default_HasEveryBookAndSheetOfTheResearchCatalogue(string id, string name, RosterCadence cadence, string[] sheets)
    {
        var book = RosterCatalogue.Default[id];

        book.Name.ShouldBe(name);
        book.Cadence.ShouldBe(cadence);
        book.Sheets.Select(s => s.Name).ShouldBe(sheets);
    }

    [Theory]
    [InlineData("grades", "學期成績", 113, "身分證號", "4.2.1")]
    [InlineData("grades", "學期成績", 113, "是否採計學分", "4.2.11")]
    [InlineData("grades", "學期成績", 113, "DataKey", "4.2.13")]
    [InlineData("grades", "補修成績", 113, "補修方式", "4.3.13")]
    [InlineData("grades", "轉學轉科成績", 113, "身分別", "4.4.9")]
    [InlineData("retake-grades", "重修成績", 113, "重修方式", "5.2.9")]
    [InlineData("retake-grades", "重讀成績", 113, "重讀註記", "5.3.13")]
    [InlineData("retake-grades", "重讀成績", 108, "重讀註記", "5.3.11")]
    public void Layout_DerivesTheSpecificationSectionNumbers(string book, string sheet, int year, string header, string section)
    {
        var layout = RosterCatalogue.Default[book].FindSheet(sheet)!.LayoutFor(new SchoolYear(year));
        var index = layout.Columns.Select(c => c.Header).ToList().IndexOf(header);

        layout.SectionOf(index).ShouldBe(section);
    }

    [Fact]
    public void RepeatYearSheet_GainedTheSecondAttemptColumnsInALaterYear()
    {
        var sheet = RosterCatalogue.Default["retake-grades"].FindSheet("重讀成績")!;

        sheet.LayoutFor(new SchoolYear(108)).IndexOf("secondAttemptScore").ShouldBe(-1);
        sheet.LayoutFor(new SchoolYear(113)).IndexOf("secondAttemptScore").ShouldBe(6);
        sheet.Columns.Single(c => c.Key == "secondAttemptScore").Evidence.ShouldBe(Evidence.Inferred);
    }

    [Fact]
    public void EveryCodeColumn_NamesAShippedCodeTable_AndEverySheetKeyExists()
    {
        foreach (var sheet in RosterCatalogue.Default.Books.SelectMany(b => b.Sheets))
        {
            foreach (var column in sheet.Columns.Where(c => c.CodeTableId is not null))
            {
                CodeTableCatalog.Default.TryGetTable(column.CodeTableId!, out _).ShouldBeTrue($"{sheet.Id}.{column.Key} → {column.CodeTableId}");
            }

            sheet.KeyColumns.ShouldAllBe(k => sheet.Columns.Any(c => c.Key == k));
            sheet.Columns.Select(c => c.Header).ShouldBeUnique(sheet.Id);
            sheet.Columns[0].Type.ShouldBe(RosterColumnType.NationalId, sheet.Id);
        }
    }

    [Fact]
    public void PerYearBooks_CarryTheHundredCharacterSummary()
    {
        var summaries = RosterCatalogue.Default.Books.Where(b => b.Cadence == RosterCadence.Year)
            .SelectMany(b => b.Sheets).Select(s => s.Columns.Single(c => c.Header is "成果簡述" or "內容簡述"));

        summaries.ShouldAllBe(c => c.MaxLength == 100);
    }

    [Fact]
    public void Identify_ByCoverNameOrBySheetNames()
    {
        var catalogue = RosterCatalogue.Default;

        catalogue.Identify("學生成績名冊", []).ShouldBe(catalogue["grades"]);
        catalogue.Identify(null, ["學期成績", "補修成績", "轉學轉科成績"]).ShouldBe(catalogue["grades"]);
        catalogue.Identify(null, ["學期成績", "補考成績"]).ShouldBe(catalogue["continuing-grades"]);
        catalogue.Identify(null, ["重修成績"]).ShouldBe(catalogue["retake-grades"]);
        catalogue.Identify(null, ["工作表1"]).ShouldBeNull();
    }

    [Fact]
    public void Load_VendorCatalogue_ReplacesABookByIdentifier()
    {
        const string json = """
            { "revision": "vendor", "books": [ { "id": "cadre", "name": "校內幹部經歷名冊", "cadence": "semester", "sheets": [
              { "id": "cadre-records", "name": "幹部經歷紀錄", "columns": [
                { "key": "nationalId", "header": "身分證號", "type": "nationalId", "required": true },
                { "key": "unitName", "header": "單位名稱", "type": "text", "required": true },
                { "key": "clubCode", "header": "社團代碼", "type": "text", "from": 115 } ] } ] } ] }
            """;

        var outcome = RosterCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "vendor.json");
        var merged = RosterCatalogue.Default.WithOverrides(outcome.Value!);

        outcome.Diagnostics.ShouldBeEmpty();
        var sheet = merged["cadre"].Sheets.Single();
        sheet.LayoutFor(new SchoolYear(114)).Columns.Count.ShouldBe(2);
        sheet.LayoutFor(new SchoolYear(115)).Columns.Count.ShouldBe(3);
        merged["grades"].ShouldBe(RosterCatalogue.Default["grades"]);
    }

    [Theory]
    [InlineData("{ nope")]
    [InlineData("{}")]
    [InlineData("""{ "books": [ { "id": "x", "name": "X", "cadence": "weekly" } ] }""")]
    [InlineData("""{ "books": [ { "id": "x", "name": "X", "cadence": "year", "sheets": [ { "id": "s", "name": "S", "columns": [ { "key": "a", "header": "A", "type": "code" } ] } ] } ] }""")]
    [InlineData("""{ "books": [ { "id": "x", "name": "X", "cadence": "year", "sheets": [ { "id": "s", "name": "S", "columns": [ { "key": "a", "header": "A", "type": "imaginary" } ] } ] } ] }""")]
    [InlineData("""{ "books": [ { "id": "x", "name": "X", "cadence": "year", "sheets": [ { "id": "s", "name": "S", "key": ["zzz"], "columns": [ { "key": "a", "header": "A", "type": "text" } ] } ] } ] }""")]
    public void Load_BadFiles_GiveDiagnostics(string json)
    {
        var outcome = RosterCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json");

        outcome.Diagnostics.ShouldNotBeEmpty();
        outcome.Diagnostics.ShouldAllBe(d => d.Code == DiagnosticCodes.CatalogueFileInvalid);
    }
}
