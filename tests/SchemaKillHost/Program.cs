// Creates a store's schema (or Quartz's tables) as a host does on its first start, so that the kill tests can kill
// it part-way. Usage: SchemaKillHost store|quartz sqlite|postgresql|mariadb <connection string>
// Prints "creating" before and "created" after; exits 2 on wrong arguments.
using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Scheduling;
using Portfolio.Sdk.Storage;

if (args.Length != 3 || args[0] is not ("store" or "quartz") || args[1] is not ("sqlite" or "postgresql" or "mariadb"))
{
    await Console.Error.WriteLineAsync("usage: SchemaKillHost store|quartz sqlite|postgresql|mariadb <connection string>");
    return 2;
}

var (dataSource, dialect) = args[1] switch
{
    "sqlite" => ((DbDataSource)SqliteFactory.Instance.CreateDataSource(args[2]), SqlDialect.Sqlite),
    "postgresql" => (NpgsqlDataSource.Create(args[2]), SqlDialect.PostgreSql),
    _ => (new MySqlDataSource(args[2]), SqlDialect.MySql),
};
await using (dataSource)
{
    Console.WriteLine("creating");
    if (args[0] == "store")
    {
        await new PortfolioStore(dataSource, dialect).CreateSchemaAsync();
    }
    else
    {
        await QuartzSchema.ApplyAsync(dataSource, dialect);
    }

    Console.WriteLine("created");
}

return 0;
