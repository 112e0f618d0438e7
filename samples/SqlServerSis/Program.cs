// SQL Server wiring: a school's SIS on SQL Server read through a mapping profile, and the portfolio module's store
// on SQL Server, both through Microsoft.Data.SqlClient as a DbDataSource (the SDK never takes a connection string).
// Builds in CI; it runs only against a SQL Server you give it (none can run on our build machines):
//   dotnet run --project samples/SqlServerSis -- --ConnectionStrings:Sis "Server=…;Database=sis;…" \
//       [--ConnectionStrings:Portfolio "Server=…;Database=portfolio;…"] [--profile my-sis.profile.json] [--demo true] [--create-store true]
// or the same keys in appsettings.json or as environment variables (ConnectionStrings__Sis). --demo builds the demo
// SIS (tables stud_base, score_sem, …) in the SIS database first; --create-store creates the store's tables (a DBA
// applies schemas/sql/store.sqlserver.sql in production).
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Storage;

var builder = Host.CreateApplicationBuilder(args);
var config = builder.Configuration;
var sisConnection = config.GetConnectionString("Sis");
if (string.IsNullOrWhiteSpace(sisConnection))
{
    Console.WriteLine("Set ConnectionStrings:Sis (appsettings.json, --ConnectionStrings:Sis or ConnectionStrings__Sis) to a SQL Server database.");
    return 2;
}

// The module's store on SQL Server: the DbDataSource is SqlClient's, the dialect SQL Server's.
var moduleConnection = config.GetConnectionString("Portfolio") is { Length: > 0 } portfolio ? portfolio : sisConnection;
builder.Services.AddSingleton<DbDataSource>(SqlClientFactory.Instance.CreateDataSource(moduleConnection));
builder.Services.AddPortfolioDatabase(SqlDialect.SqlServer);   // the dialect, stated once for every package
builder.Services.AddPortfolioModule(o =>
{
    o.FilesRoot = config["files"] ?? Path.Combine(Path.GetTempPath(), "portfolio-files");
});
using var host = builder.Build();
await host.StartAsync();

var store = host.Services.GetRequiredService<PortfolioStore>();
if (bool.TryParse(config["create-store"], out var createStore) && createStore)
{
    await store.CreateSchemaAsync();
}

// The SIS: the school's own database, read through its mapping profile with the SQL Server dialect.
await using var sis = SqlClientFactory.Instance.CreateDataSource(sisConnection);
if (bool.TryParse(config["demo"], out var demo) && demo)
{
    var counts = await DemoSis.GenerateAsync(sis, new DemoSisOptions { Dialect = SqlDialect.SqlServer, Term = SchoolTerm.Parse(config["Portfolio:Term"] ?? "113-1") });
    Console.WriteLine($"demo SIS: {counts.Students} students, {counts.Scores} scores");
}

SisProfile profile;
if (config["profile"] is { } profileFile)
{
    await using var file = File.OpenRead(profileFile);
    var loaded = SisProfile.Load(file);
    if (loaded.Value is null)
    {
        foreach (var problem in loaded.Diagnostics)
        {
            Console.WriteLine(problem);
        }

        return 1;
    }

    profile = loaded.Value;
}
else
{
    profile = DemoSis.Profile(SqlDialect.SqlServer);
}

var reader = new SisReader(sis, profile);
var term = SchoolTerm.Parse(config["Portfolio:Term"] ?? "113-1");
var (mapped, leftOut) = (0, 0);
await foreach (var row in reader.ReadGradesAsync(term))
{
    if (row.IsMapped)
    {
        mapped++;
    }
    else
    {
        leftOut++;
        if (leftOut <= 5)
        {
            Console.WriteLine($"  {string.Join("; ", row.Diagnostics)}");   // PF2102 [source=sis:grades, row=…]: masked values only
        }
    }
}

Console.WriteLine($"{term} grades from SQL Server: {mapped} mapped, {leftOut} left out; the store uses the {store.Dialect} dialect.");
await host.StopAsync();
return 0;
