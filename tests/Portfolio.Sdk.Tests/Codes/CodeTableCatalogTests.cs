using System.Reflection;
using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Tests.Codes;

public sealed class CodeTableCatalogTests
{
    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Default_HasEveryTableNamedInCodeTableIds()
    {
        var ids = typeof(CodeTableIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.Name != nameof(CodeTableIds.EnrollmentChangeToStudentType))
            .Select(f => (string)f.GetRawConstantValue()!);

        foreach (var id in ids)
        {
            CodeTableCatalog.Default.TryGetTable(id, out var table).ShouldBeTrue(id);
            table!.Entries.ShouldNotBeEmpty(id);
        }

        CodeTableCatalog.Default.TryGetMapping(CodeTableIds.EnrollmentChangeToStudentType, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData(CodeTableIds.Group, "26", "商業與管理群")]
    [InlineData(CodeTableIds.Department, "101", "普通班")]
    [InlineData(CodeTableIds.SpecialStatus, "24", "身心障礙學生適性輔導安置")]
    [InlineData(CodeTableIds.ClassType, "01", "進修部（核定班）")]
    [InlineData(CodeTableIds.CourseCategory, "9", "彈性學習時間")]
    [InlineData(CodeTableIds.PassFlag, "-1", "無")]
    [InlineData(CodeTableIds.CreditCounting, "2", "不計學分")]
    [InlineData(CodeTableIds.StudentType, "3", "跨課綱復學")]
    [InlineData(CodeTableIds.RepeatNote, "2", "再次修習")]
    public void Default_NamesResearchCodes(string table, string code, string name)
    {
        CodeTableCatalog.Default[table].NameOf(code).ShouldBe(name);
    }

    [Fact]
    public void Check_ClosedTableUnknownCode_IsError_OpenTableUnknownCode_IsWarning()
    {
        var closed = CodeTableCatalog.Default[CodeTableIds.PassFlag].Check("2");
        var open = CodeTableCatalog.Default[CodeTableIds.SpecialStatus].Check("31");

        closed!.Code.ShouldBe(DiagnosticCodes.CodeUnknown);
        closed.Severity.ShouldBe(DiagnosticSeverity.Error);
        open!.Code.ShouldBe(DiagnosticCodes.CodeUnlisted);
        open.Severity.ShouldBe(DiagnosticSeverity.Warning);
        CodeTableCatalog.Default[CodeTableIds.PassFlag].Check("1").ShouldBeNull();
    }

    [Theory]
    [InlineData("111", "1")]
    [InlineData("115", "1")]
    [InlineData("131", "1")]
    [InlineData("144", "1")]
    [InlineData("211", "2")]
    [InlineData("222", "2")]
    [InlineData("236", "2")]
    [InlineData("301", "2")]
    [InlineData("221", "3")]
    [InlineData("223", "3")]
    [InlineData("116", null)]
    [InlineData("242", null)]
    [InlineData("", null)]
    public void EnrollmentChangeMapping_DerivesStudentType(string change, string? studentType)
    {
        CodeTableCatalog.Default.TryGetMapping(CodeTableIds.EnrollmentChangeToStudentType, out var mapping).ShouldBeTrue();

        mapping!.Map(change).ShouldBe(studentType);
    }

    [Fact]
    public void Load_VersionedEntries_ApplyByYear()
    {
        const string file = """
            { "revision": "vendor-1", "tables": [ { "id": "group", "name": "群別代碼", "closed": true, "evidence": "C",
              "entries": [ { "code": "26", "name": "商業群", "until": 107 }, { "code": "26", "name": "商業與管理群", "from": 108 },
                           { "code": "42", "name": "新群", "from": "115" } ] } ] }
            """;

        var outcome = CodeTableCatalog.Load(Json(file), "vendor.json");

        outcome.Success.ShouldBeTrue();
        var group = outcome.Value!["group"];
        group.NameOf("26", new SchoolYear(107)).ShouldBe("商業群");
        group.NameOf("26", new SchoolYear(113)).ShouldBe("商業與管理群");
        group.Check("42", new SchoolYear(114)).ShouldNotBeNull();
        group.Check("42", new SchoolYear(115)).ShouldBeNull();
    }

    [Fact]
    public void WithOverrides_ReplacesTablesByIdAndKeepsTheRest()
    {
        const string file = """{ "revision": "v2", "tables": [ { "id": "department", "name": "科班學程別代碼", "entries": [ { "code": "301", "name": "機械科" } ] } ] }""";
        var vendor = CodeTableCatalog.Load(Json(file)).Value!;

        var merged = CodeTableCatalog.Default.WithOverrides(vendor);

        merged[CodeTableIds.Department].NameOf("301").ShouldBe("機械科");
        merged[CodeTableIds.Department].NameOf("101").ShouldBeNull();
        merged[CodeTableIds.Group].NameOf("11").ShouldBe("普通高中");
        merged.Revision.ShouldBe(CodeTableCatalog.Default.Revision + "+v2");
    }

    [Theory]
    [InlineData("{ not json", DiagnosticCodes.CodeTableFileInvalid)]
    [InlineData("{}", DiagnosticCodes.CodeTableFileInvalid)]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "entries": [ { "code": "1" }, { "code": "1" } ] } ] }""", DiagnosticCodes.CodeTableDuplicate)]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "entries": [ { "code": "1", "from": 5000 } ] } ] }""", DiagnosticCodes.CodeTableFileInvalid)]
    [InlineData("""{ "tables": [ { "name": "X" } ] }""", DiagnosticCodes.CodeTableFileInvalid)]
    public void Load_BadFiles_ReturnDiagnosticsInsteadOfThrowing(string text, string code)
    {
        var outcome = CodeTableCatalog.Load(Json(text), "bad.json");

        outcome.Diagnostics.Select(d => d.Code).ShouldContain(code);
        outcome.Diagnostics.ShouldAllBe(d => d.Location!.Source == "bad.json");
    }

    [Fact]
    public void Load_DuplicateCodeInOneTable_KeepsTheFirstAndTheRestOfTheFile()
    {
        const string file = """{ "tables": [ { "id": "x", "name": "X", "entries": [ { "code": "1", "name": "a" }, { "code": "1", "name": "b" }, { "code": "2", "name": "c" } ] } ] }""";

        var outcome = CodeTableCatalog.Load(Json(file));

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Single().Location!.Path.ShouldBe("tables[0].entries[1]");
    }

    [Fact]
    public void Indexer_UnknownTable_Throws()
    {
        Should.Throw<KeyNotFoundException>(() => CodeTableCatalog.Default["no-such-table"]);
    }
}
