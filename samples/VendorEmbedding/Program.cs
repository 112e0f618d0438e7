// Vendor embedding: the whole module registered in a generic host, as a SIS vendor's service would do it.
// The sandbox stands in for the central database (started in this process); point BaseAddress at the real
// gateway, or use AddPortfolioFileDrop, in production. Usage: VendorEmbedding [work-folder]
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;

var folder = Directory.CreateDirectory(args.Length > 0 ? args[0] : "vendor-out").FullName;
await using var sandbox = await Portfolio.Sdk.Sandbox.SandboxServer.StartAsync();

// <readme:vendor>
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "module.db")};Pooling=False"));
builder.Services.AddPortfolioDatabase(SqlDialect.Sqlite);     // the database's dialect, stated once for every package
builder.Services.AddPortfolioModule(o => o.FilesRoot = Path.Combine(folder, "files"));
builder.Services.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);   // HTTPS unless loopback
builder.Services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox"));   // the ledger in the same database
using var host = builder.Build();
await host.StartAsync();                                     // a bad policy or gateway setting stops here, with a clear message

var store = host.Services.GetRequiredService<PortfolioStore>();
await store.CreateSchemaAsync();                             // production: apply schemas/sql/store.<dialect>.sql
var submissions = host.Services.GetRequiredService<SubmissionService>();
await submissions.Ledger.EnsureCreatedAsync();
await submissions.ResumeAsync();                             // what a crash left outstanding goes first, with its key
// </readme:vendor>

// A roster from the vendor's own code (here: an empty grades roster for brevity), submitted once however often this runs.
var book = RosterCatalogue.Default["grades"];
var term = SchoolTerm.Parse("113-1");
using var roster = new MemoryStream();
using (var writer = RosterWorkbookWriter.Create(roster, book, RosterCover.For(book, SchoolCode.Parse("060322"), term)))
{
    writer.Complete();
}

roster.Position = 0;
var record = await submissions.SubmitAsync(new SubmissionIdentity(SchoolCode.Parse("060322"), book.Id, term), roster);
Console.WriteLine($"{record.Identity}: {record.State} ({record.IdempotencyKey})");
await host.StopAsync();
return record.State is SubmissionState.Accepted or SubmissionState.Rejected ? 0 : 3;
