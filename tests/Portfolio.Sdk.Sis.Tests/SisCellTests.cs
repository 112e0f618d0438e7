using System.Data.Common;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// The SIS reader reads each value with the provider's typed getter (no boxing). On a real SQLite file, PostgreSQL
/// schema and MariaDB database, every column type a SIS uses must read as what the boxing <c>GetValue</c> gave.
/// </summary>
public sealed class SisCellTests
{
    public static TheoryData<string> Providers() => TestDatabase.Providers();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Read_TypedGetters_GiveWhatGetValueGave(string provider)
    {
        await using var database = await TestSisDatabase.OpenAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        var (create, select) = provider switch
        {
            "postgresql" => (
                "CREATE TABLE cell_types (t VARCHAR(20), pad CHAR(6), n NUMERIC(5,1), i INTEGER, s SMALLINT, b BIGINT, f DOUBLE PRECISION, r REAL, d DATE, ts TIMESTAMP, flag BOOLEAN)",
                "SELECT t, pad, n, i, s, b, f, r, d, ts, flag FROM cell_types"),
            "mariadb" => (
                "CREATE TABLE cell_types (t VARCHAR(20), pad CHAR(6), n DECIMAL(5,1), i INT, s SMALLINT, b BIGINT, f DOUBLE, r FLOAT, d DATE, ts DATETIME, flag TINYINT(1)) CHARACTER SET utf8mb4",
                "SELECT t, pad, n, i, s, b, f, r, d, ts, flag FROM cell_types"),
            _ => (
                "CREATE TABLE cell_types (t TEXT, pad TEXT, n NUMERIC, i INTEGER, s INTEGER, b INTEGER, f REAL, r REAL, d TEXT, ts TEXT, flag INTEGER)",
                "SELECT t, pad, n, i, s, b, f, r, d, ts, flag FROM cell_types"),
        };
        await ExecuteAsync(database.DataSource, create, ct);
        await ExecuteAsync(database.DataSource, "INSERT INTO cell_types VALUES ('王小明 ', '060322', 66.0, 3, -2, 9000000000, 0.1, 1.5, '2008-05-13', '2008-05-13 07:30:00', " + (provider == "postgresql" ? "TRUE" : "1") + ")", ct);
        await ExecuteAsync(database.DataSource, "INSERT INTO cell_types VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)", ct);
        await ExecuteAsync(database.DataSource, "INSERT INTO cell_types VALUES ('', ' 1', 85.5, 0, 0, 0, 66.6, 0, '2024-02-29', '2024-02-29 23:59:59', " + (provider == "postgresql" ? "FALSE" : "0") + ")", ct);

        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = select;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = 0;
        var typed = 0;
        while (await reader.ReadAsync(ct))
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var cell = SisCell.Read(reader, i);
                var boxed = SisCell.FromObject(reader.GetValue(i));
                cell.ShouldBe(boxed, $"{provider} column {reader.GetName(i)}");
                cell.ToText().ShouldBe(boxed.ToText());
                typed += cell.Kind is not (SisCellKind.Null or SisCellKind.Other) ? 1 : 0;
            }
        }

        rows.ShouldBe(3);
        typed.ShouldBeGreaterThan(12, "most columns must come through a typed getter, not boxed");
    }

    [Fact]
    public void FromObject_KeepsWhatItCannotType_Boxed()
    {
        SisCell.FromObject(DBNull.Value).IsNull.ShouldBeTrue();
        SisCell.FromObject(1.5f).ShouldBe(new SisCell(SisCellKind.Other, Other: 1.5f));
        SisCell.FromObject(7).ShouldBe(new SisCell(SisCellKind.Integer, Integer: 7));
        new SisCell(SisCellKind.Text, Text: " a ").ToText().ShouldBe("a");
        new SisCell(SisCellKind.Decimal, Decimal: 66.0m).ToText().ShouldBe("66.0");
    }

    private static async Task ExecuteAsync(DbDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
