using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// The SQL each dialect generates. Oracle, SQL Server and MySQL cannot run here, so their SQL is pinned here
/// exactly; PostgreSQL and SQLite also run for real in the integration tests.
/// </summary>
public sealed class SqlDialectTests
{
    [Theory]
    [InlineData("oracle", "\"STUD_BASE\"", "\"SIS\".\"STUD_BASE\"", ":p0")]
    [InlineData("sqlserver", "[stud_base]", "[sis].[stud_base]", "@p0")]
    [InlineData("postgresql", "\"stud_base\"", "\"sis\".\"stud_base\"", "@p0")]
    [InlineData("mysql", "`stud_base`", "`sis`.`stud_base`", "@p0")]
    [InlineData("sqlite", "\"stud_base\"", "\"sis\".\"stud_base\"", "@p0")]
    public void Quoting_AndParameterMarkers(string name, string table, string qualified, string marker)
    {
        SqlDialect.TryGet(name, out var dialect).ShouldBeTrue();

        dialect!.QuoteIdentifier("stud_base").ShouldBe(table);
        dialect.QuoteIdentifier("sis.stud_base").ShouldBe(qualified);
        dialect.ParameterMarker(0).ShouldBe(marker);
        dialect.ParameterName(0).ShouldBe("p0");
    }

    [Theory]
    [InlineData("oracle", "SELECT a FROM t ORDER BY a OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY")]
    [InlineData("sqlserver", "SELECT a FROM t ORDER BY a OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY")]
    [InlineData("postgresql", "SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 20")]
    [InlineData("mysql", "SELECT a FROM t ORDER BY a LIMIT 20, 10")]
    [InlineData("sqlite", "SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 20")]
    public void Paging(string name, string expected)
    {
        SqlDialect.TryGet(name, out var dialect);

        dialect!.Page("SELECT a FROM t ORDER BY a", 20, 10).ShouldBe(expected);
    }

    [Theory]
    [InlineData("stud_base", true)]
    [InlineData("sis.stud_base", true)]
    [InlineData("學生基本資料", true)]
    [InlineData("STUD$NO#1", true)]
    [InlineData("stud base", false)]
    [InlineData("stud_base; DROP TABLE x", false)]
    [InlineData("a--", false)]
    [InlineData("\"quoted\"", false)]
    [InlineData("a.b.c", false)]
    [InlineData("1abc", false)]
    [InlineData("", false)]
    [InlineData("x/**/y", false)]
    public void IsValidIdentifier_RefusesAnythingThatCouldInject(string identifier, bool valid)
    {
        SqlDialect.IsValidIdentifier(identifier).ShouldBe(valid);
        if (!valid)
        {
            Should.Throw<ArgumentException>(() => SqlDialect.PostgreSql.QuoteIdentifier(identifier));
        }
    }

    [Fact]
    public void RewritePlaceholders_NumbersEachNameOnceAndLeavesOtherAtSignsAlone()
    {
        var sql = SqlDialect.Oracle.RewritePlaceholders("SELECT @@ROWCOUNT, 'a@b.tw' FROM t WHERE sy = @schoolYear AND sem = @term OR sy = @schoolYear", out var names);

        sql.ShouldBe("SELECT @@ROWCOUNT, 'a@b.tw' FROM t WHERE sy = :p0 AND sem = :p1 OR sy = :p0");
        names.ShouldBe(["schoolYear", "term"]);
    }

    [Theory]
    [InlineData("oracle", "SELECT \"STUD_NO\", \"SY\", \"SEM\", \"UNIT_NAME\", \"POST_NAME\", \"START_DATE\", \"END_DATE\", \"CADRE_LV\" FROM \"CADRE_HIST\" WHERE \"SY\" = :p0 AND \"SEM\" = :p1 ORDER BY \"STUD_NO\", \"SY\", \"SEM\", \"UNIT_NAME\"")]
    [InlineData("sqlserver", "SELECT [stud_no], [sy], [sem], [unit_name], [post_name], [start_date], [end_date], [cadre_lv] FROM [cadre_hist] WHERE [sy] = @p0 AND [sem] = @p1 ORDER BY [stud_no], [sy], [sem], [unit_name]")]
    [InlineData("mysql", "SELECT `stud_no`, `sy`, `sem`, `unit_name`, `post_name`, `start_date`, `end_date`, `cadre_lv` FROM `cadre_hist` WHERE `sy` = @p0 AND `sem` = @p1 ORDER BY `stud_no`, `sy`, `sem`, `unit_name`")]
    public void TableQuery_PerTerm_BindsTheTermAsParameters(string name, string expected)
    {
        SqlDialect.TryGet(name, out var dialect);

        var query = SisQuery.Build(DemoSis.Profile(dialect!), SisRecordKind.Cadres, SchoolTerm.Parse("113-1"));

        query.CommandText.ShouldBe(expected);
        query.Parameters.ShouldBe([new("p0", 113), new("p1", 1)]);
    }

    [Fact]
    public void ProfileQuery_IsRewrittenForTheDialect()
    {
        var query = SisQuery.Build(DemoSis.Profile(SqlDialect.Oracle), SisRecordKind.Grades, SchoolTerm.Parse("113-2"));

        query.CommandText.ShouldEndWith("WHERE s.sy = :p0 AND s.sem = :p1 ORDER BY s.stud_no, c.course_code");
        query.Parameters.ShouldBe([new("p0", 113), new("p1", 2)]);
        query.FieldColumns.Select(c => c.Ordinal).ShouldAllBe(o => o == null);
    }

    [Fact]
    public void Paged_TableQuery_KeepsItsOrder()
    {
        var query = SisQuery.Build(DemoSis.Profile(SqlDialect.SqlServer), SisRecordKind.Students, page: (100, 50));

        query.CommandText.ShouldEndWith("ORDER BY [stud_no] OFFSET 100 ROWS FETCH NEXT 50 ROWS ONLY");
    }

    [Fact]
    public void PerTermKind_WithoutATerm_IsRefused()
    {
        Should.Throw<InvalidOperationException>(() => SisQuery.Build(DemoSis.Profile(SqlDialect.Sqlite), SisRecordKind.Grades));
    }
}
