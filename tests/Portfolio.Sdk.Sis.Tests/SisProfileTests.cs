using System.Text;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

public sealed class SisProfileTests
{
    private static ParseOutcome<SisProfile> Load(string json) => SisProfile.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "p.json");

    private static string Students(string table = "stud_base", string idColumn = "id_no") => $$"""
        { "name": "t", "dialect": "sqlite", "records": { "students": { "table": "{{table}}",
          "columns": { "studentNumber": "stud_no", "nationalId": "{{idColumn}}", "birthDate": "birthday" } } } }
        """;

    [Fact]
    public void SampleProfile_LoadsAndEqualsTheDemoProfile()
    {
        using var stream = File.OpenRead(RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"));

        var outcome = SisProfile.Load(stream, "demo-sis.profile.json");

        outcome.Diagnostics.ShouldBeEmpty();
        var code = DemoSis.Profile(SqlDialect.Sqlite);
        foreach (var (kind, mapping) in code.Mappings)
        {
            var loaded = outcome.Value!.Mappings[kind];
            loaded.Table.ShouldBe(mapping.Table);
            loaded.Query.ShouldBe(mapping.Query);
            loaded.Columns.OrderBy(c => c.Key).ShouldBe(mapping.Columns.OrderBy(c => c.Key));
            loaded.Values.Keys.Order().ShouldBe(mapping.Values.Keys.Order());
        }
    }

    [Theory]
    [InlineData("stud_base; DROP TABLE stud_base")]
    [InlineData("stud_base --")]
    [InlineData("x\" ; DELETE FROM y; --")]
    public void TableName_ThatCouldInject_IsRefused(string table)
    {
        var outcome = Load(Students(table: table.Replace("\"", "\\\"", StringComparison.Ordinal)));

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.SisProfileIdentifier);
        outcome.Diagnostics.Single().Location!.Path.ShouldBe("records.students.table");
    }

    [Fact]
    public void ColumnName_ThatCouldInject_IsRefused()
    {
        var outcome = Load(Students(idColumn: "id_no, (SELECT password FROM users)"));

        outcome.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.SisProfileIdentifier);
        outcome.Diagnostics.Single().Location!.Path.ShouldBe("records.students.columns.nationalId");
    }

    [Theory]
    [InlineData("DELETE FROM stud_base")]
    [InlineData("SELECT 1; DROP TABLE stud_base")]
    [InlineData("SELECT * FROM t WHERE a = @password")]
    public void Query_NotASingleSelectOrWithUnknownPlaceholders_IsRefused(string query)
    {
        var outcome = new SisProfileBuilder("t", SqlDialect.Sqlite)
            .MapQuery(SisRecordKind.EnrollmentChanges, query, new Dictionary<string, string> { ["studentNumber"] = "a", ["changeCode"] = "b" })
            .Build();

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldAllBe(d => d.Code == DiagnosticCodes.SisProfileQuery);
    }

    [Fact]
    public void UnknownAndMissingFields_AreReported()
    {
        var outcome = Load("""{ "dialect": "postgres", "records": { "students": { "table": "t", "columns": { "studentNumber": "a", "shoeSize": "b" } } } }""");

        outcome.Diagnostics.Select(d => d.Code).Order().ShouldBe([DiagnosticCodes.SisProfileFieldUnknown, DiagnosticCodes.SisProfileFieldRequired, DiagnosticCodes.SisProfileFieldRequired]);
    }

    [Theory]
    [InlineData("{ nope")]
    [InlineData("""{ "dialect": "db2", "records": {} }""")]
    [InlineData("""{ "dialect": "sqlite", "records": { "parents": { "table": "t", "columns": {} } } }""")]
    [InlineData("""{ "dialect": "sqlite", "records": { "cadres": { "table": "t", "query": "SELECT 1", "columns": {} } } }""")]
    public void BadProfiles_AreRefusedWithPF2001(string json)
    {
        var outcome = Load(json);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.SisProfileInvalid);
    }
}
