// Telemetry: Portfolio.Sdk's activities and metrics through OpenTelemetry's console exporter. Builds the demo SIS,
// reads it and writes this term's 學生成績名冊 with the SDK in a generic host; every Portfolio.Sdk.* source and meter is
// exported (Portfolio.Sdk.Submission's too, when a host registers it). Tags carry codes, kinds and outcomes, never an
// ID or a name. Usage: Telemetry [work-folder]

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.TermRosters;

var folder = Directory.CreateDirectory(args.Length > 0 ? args[0] : "telemetry-out").FullName;
var sisPath = Path.Combine(folder, "demo-sis.db");
File.Delete(sisPath);
var term = SchoolTerm.Parse("113-1");

// <readme:telemetry>
string[] portfolio = [PortfolioTelemetry.Name, SisTelemetry.Name, "Portfolio.Sdk.Storage", "Portfolio.Sdk.Scheduling", "Portfolio.Sdk.Submission"];
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(portfolio).AddConsoleExporter())
    .WithMetrics(metrics => metrics.AddMeter(portfolio).AddConsoleExporter());
builder.Services.AddKeyedSingleton<DbDataSource>("sis", SqliteFactory.Instance.CreateDataSource($"Data Source={sisPath};Pooling=False"));
builder.Services.AddPortfolioSis("sis", o => { o.Profile = DemoSis.Profile(SqlDialect.Sqlite); o.DefaultDivision = "1"; });
builder.Services.AddPortfolioRedaction();                  // IDs and names in log records go through the SDK's masking
// </readme:telemetry>

using var host = builder.Build();
await host.StartAsync();
await DemoSis.GenerateAsync(host.Services.GetRequiredKeyedService<DbDataSource>("sis"), new DemoSisOptions { Students = 60, Term = term });

var path = Path.Combine(folder, "060322_113-1_學生成績名冊.xlsx");
await using (var file = File.Create(path))
{
    var written = await host.Services.GetRequiredService<TermRosterBuilder>().WriteGradesAsync(file, SchoolCode.Parse("060322"), term);
    Console.WriteLine($"{written.Rows} rows written; {written.RowsLeftOut} SIS rows left out.");
}

await using (var file = File.OpenRead(path))
{
    var report = new RosterWorkbookValidator().Validate(file, Path.GetFileName(path));
    Console.WriteLine(report.HasErrors ? "the roster has errors" : $"{Path.GetFileName(path)}: valid");
}

await host.StopAsync();                                    // flushes the last metrics to the console
SqliteConnection.ClearAllPools();
