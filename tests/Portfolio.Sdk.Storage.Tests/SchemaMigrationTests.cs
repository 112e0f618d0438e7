using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>Schema creation is idempotent and versioned: a second start changes nothing; a first-release store is migrated.</summary>
public sealed class SchemaMigrationTests
{
    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<TestSisDatabase> OpenAsync(string provider) => provider == "sqlite" ? TestSisDatabase.Sqlite() : await TestSisDatabase.PostgresAsync();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CreateSchema_OnANewDatabase_ThenAgain_IsANoOp(string provider)
    {
        await using var database = await OpenAsync(provider);
        var store = new PortfolioStore(database.DataSource, database.Dialect);
        (await store.SchemaVersionAsync(Token)).ShouldBe(-1);

        await store.CreateSchemaAsync(Token);
        await store.CreateSchemaAsync(Token);
        await new PortfolioStore(database.DataSource, database.Dialect).CreateSchemaAsync(Token);

        (await store.SchemaVersionAsync(Token)).ShouldBe(StoreSchema.CurrentVersion);
        await using var connection = await database.DataSource.OpenConnectionAsync(Token);
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {database.Dialect.QuoteIdentifier(StoreSchema.SchemaVersionTable)}";
        Convert.ToInt32(await count.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(StoreSchema.CurrentVersion);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CreateSchema_OnAFirstReleaseStore_MigratesAndKeepsItsRows(string provider)
    {
        await using var database = await OpenAsync(provider);
        var id = Guid.NewGuid();
        await using (var connection = await database.DataSource.OpenConnectionAsync(Token))
        {
            // The tables exactly as release 1 created them (no version table), with one 多元表現 row in them.
            foreach (var statement in StoreSchema.MigrationStatements(database.Dialect, 1))
            {
                await using var create = connection.CreateCommand();
                create.CommandText = statement;
                await create.ExecuteNonQueryAsync(Token);
            }

            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO {StoreSchema.PerformanceTable} (id, student_key, class_name, category, item_date, school_entered, selected_for, is_locked, version, fields_json) "
                + $"VALUES ('{id:D}', 'S000009', '101', 'performance-competition', 20240920, 0, 113, 0, 3, NULL)";
            await insert.ExecuteNonQueryAsync(Token);
        }

        var store = new PortfolioStore(database.DataSource, database.Dialect);
        (await store.SchemaVersionAsync(Token)).ShouldBe(-1);
        await store.CreateSchemaAsync(Token);
        (await store.SchemaVersionAsync(Token)).ShouldBe(StoreSchema.CurrentVersion);
        await store.CreateSchemaAsync(Token);

        var item = (await store.GetPerformanceAsync(id, Token))!;
        (item.StudentKey, item.Date, item.SelectedFor?.RocYear, item.Version, item.Summary).ShouldBe(("S000009", new DateOnly(2024, 9, 20), (int?)113, 3L, (string?)null));
        item.FileHashes.ShouldBeEmpty();
    }

    [Fact]
    public void EveryDialect_CreatesTheVersionTableFirst_AndRecordsEveryVersion()
    {
        foreach (var dialect in Portfolio.Sdk.Data.SqlDialect.All)
        {
            var statements = StoreSchema.CreateStatements(dialect);
            statements[0].ShouldContain(StoreSchema.SchemaVersionTable, Case.Insensitive);
            statements.Count(s => s.StartsWith("INSERT INTO", StringComparison.Ordinal) && s.Contains(StoreSchema.SchemaVersionTable, StringComparison.OrdinalIgnoreCase)).ShouldBe(StoreSchema.CurrentVersion);
            statements.ShouldContain(s => s.Contains(StoreSchema.StudentYearTable, StringComparison.OrdinalIgnoreCase) && s.Contains("PRIMARY KEY", StringComparison.Ordinal));
        }
    }
}
