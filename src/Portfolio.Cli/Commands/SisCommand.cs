using System.CommandLine;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio sis generate|read</c>: the demo SIS and reading a SIS through a mapping profile.</summary>
internal static class SisCommand
{
    public static Command Build() => new("sis", "校務系統資料庫 / school-administration system (SIS) databases") { Generate(), Read() };

    internal static (DbDataSource DataSource, SqlDialect Dialect)? Open(string provider, string connection) => provider.ToUpperInvariant() switch
    {
        "SQLITE" => (SqliteFactory.Instance.CreateDataSource(connection.Contains('=', StringComparison.Ordinal) ? connection : $"Data Source={connection}"), SqlDialect.Sqlite),
        "POSTGRES" or "POSTGRESQL" => (NpgsqlDataSource.Create(connection), SqlDialect.PostgreSql),
        _ => null,
    };

    private static Option<string> ProviderOption() => new("--provider")
    {
        Description = "資料庫種類：sqlite 或 postgres / the database kind: sqlite or postgres (other databases: use the SDK with your own DbDataSource)",
        Required = true,
    };

    private static Option<string> ConnectionOption() => new("--connection")
    {
        Description = "連線字串（sqlite 可只給檔名）/ connection string (a file name for sqlite)",
        Required = true,
    };

    private static Command Generate()
    {
        var provider = ProviderOption();
        var connection = ConnectionOption();
        var students = new Option<int>("--students") { Description = "學生人數 / number of students", DefaultValueFactory = _ => DemoSisOptions.DefaultStudents };
        var seed = new Option<int>("--seed") { Description = "亂數種子（相同種子產生相同學校）/ random seed (the same seed builds the same school)", DefaultValueFactory = _ => DemoSisOptions.DefaultSeed };
        var term = new Option<string>("--term") { Description = "目前學期，例如 113-1 / the current term, e.g. 113-1", DefaultValueFactory = _ => "113-1" };
        var clean = new Option<bool>("--clean") { Description = "不產生髒資料 / leave out the dirty rows" };
        var command = new Command("generate", "建立示範校務資料庫（會先刪除同名資料表）/ build the demo SIS database (drops its tables first)") { provider, connection, students, seed, term, clean };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!SchoolTerm.TryParse(parse.GetValue(term), out var schoolTerm) || schoolTerm.Term == Term.WholeYear || parse.GetValue(students) < 1)
            {
                await error.WriteLineAsync("--term 應為 學年度-學期（1 或 2），--students 至少 1 / --term must be year-term (1 or 2) and --students at least 1");
                return ExitCodes.UsageOrUnreadable;
            }

            if (Open(parse.GetValue(provider)!, parse.GetValue(connection)!) is not { } database)
            {
                await error.WriteLineAsync("--provider 應為 sqlite 或 postgres / --provider must be sqlite or postgres");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = database.DataSource;
            try
            {
                var counts = await DemoSis.GenerateAsync(dataSource, new DemoSisOptions
                {
                    Students = parse.GetValue(students),
                    Seed = parse.GetValue(seed),
                    Term = schoolTerm,
                    DirtyRows = !parse.GetValue(clean),
                }, cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync(
                    $"demo SIS: {counts.Students} students, {counts.ClassHistory} class rows, {counts.Moves} moves, {counts.Courses} courses, {counts.Scores} scores, {counts.Cadres} cadre posts");
                return ExitCodes.Success;
            }
            catch (DbException ex)
            {
                await error.WriteLineAsync($"資料庫錯誤 / database error: {ex.Message}");
                return ExitCodes.UsageOrUnreadable;
            }
        });
        return command;
    }

    private static Command Read()
    {
        var profileOption = new Option<FileInfo>("--profile") { Description = "對應設定 JSON 檔 / the mapping profile (JSON)", Required = true };
        var provider = ProviderOption();
        var connection = ConnectionOption();
        var term = new Option<string>("--term") { Description = "讀取的學期，例如 113-1 / the term to read, e.g. 113-1", DefaultValueFactory = _ => "113-1" };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var command = new Command("read", "透過對應設定讀取校務資料，列出各類筆數與診斷訊息 / read a SIS through a profile: counts per record kind and the diagnostics") { profileOption, provider, connection, term, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(profileOption)!;
            if (!file.Exists)
            {
                await error.WriteLineAsync($"找不到檔案 / file not found: {file.FullName}");
                return ExitCodes.UsageOrUnreadable;
            }

            ParseOutcome<SisProfile> loaded;
            await using (var stream = file.OpenRead())
            {
                loaded = SisProfile.Load(stream, file.Name);
            }

            if (!loaded.Success)
            {
                await CliJson.WriteDiagnosticLinesAsync(error, loaded.Diagnostics, string.Empty);
                return ExitCodes.UsageOrUnreadable;
            }

            if (!SchoolTerm.TryParse(parse.GetValue(term), out var schoolTerm) || Open(parse.GetValue(provider)!, parse.GetValue(connection)!) is not { } database)
            {
                await error.WriteLineAsync("--provider 應為 sqlite 或 postgres，--term 應為 學年度-學期 / --provider must be sqlite or postgres and --term year-term");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = database.DataSource;
            var reader = new SisReader(dataSource, loaded.Value!);
            var results = new List<(string Kind, int Rows, int Mapped, List<Diagnostic> Diagnostics)>();
            try
            {
                var kinds = loaded.Value!.Mappings.Keys.Order().ToList();
                await CliTerminal.WithProgressAsync(CliTerminal.For(error, parse.GetValue(json)), "read", async progress =>
                {
                    foreach (var (kind, i) in kinds.Select((k, i) => (k, i)))
                    {
                        progress.Report((kind.ToString(), (double)i / kinds.Count));
                        results.Add(kind switch
                        {
                            SisRecordKind.Students => await CountAsync("students", reader.ReadStudentsAsync(cancellationToken)),
                            SisRecordKind.StudentTerms => await CountAsync("studentTerms", reader.ReadStudentTermsAsync(schoolTerm, cancellationToken)),
                            SisRecordKind.EnrollmentChanges => await CountAsync("enrollmentChanges", reader.ReadEnrollmentChangesAsync(cancellationToken)),
                            SisRecordKind.Courses => await CountAsync("courses", reader.ReadCoursesAsync(schoolTerm, cancellationToken)),
                            SisRecordKind.Grades => await CountAsync("grades", reader.ReadGradesAsync(schoolTerm, cancellationToken)),
                            _ => await CountAsync("cadres", reader.ReadCadresAsync(schoolTerm, cancellationToken)),
                        });
                    }

                    return results;
                });
            }
            catch (PortfolioException ex)
            {
                await error.WriteLineAsync(ex.Diagnostic is { } d ? $"{d.Code} {d.Message} / {d.MessageEnglish}" : ex.Message);
                return ExitCodes.UsageOrUnreadable;
            }

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(parse.InvocationConfiguration.Output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("profile", loaded.Value!.Name);
                    writer.WriteString("term", schoolTerm.ToString());
                    writer.WriteStartObject("counts");
                    foreach (var (kind, rows, mapped, _) in results)
                    {
                        writer.WriteStartObject(kind);
                        writer.WriteNumber("rows", rows);
                        writer.WriteNumber("mapped", mapped);
                        writer.WriteNumber("unmapped", rows - mapped);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                    CliJson.WriteDiagnostics(writer, results.SelectMany(r => r.Diagnostics));
                    writer.WriteEndObject();
                });
            }
            else
            {
                var output = parse.InvocationConfiguration.Output;
                await output.WriteLineAsync($"{loaded.Value!.Name} {schoolTerm}:");
                foreach (var (kind, rows, mapped, diagnostics) in results)
                {
                    await output.WriteLineAsync($"  {kind,-18} {rows,8} 列 rows, {mapped,8} 已對應 mapped, {rows - mapped,6} 未對應 unmapped");
                    await CliJson.WriteDiagnosticLinesAsync(output, diagnostics, "    ");
                }
            }

            return results.Any(r => r.Diagnostics.Exists(d => d.IsError)) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<(string, int, int, List<Diagnostic>)> CountAsync<T>(string kind, IAsyncEnumerable<SisRow<T>> rows)
        where T : class
    {
        int total = 0, mapped = 0;
        var diagnostics = new List<Diagnostic>();
        await foreach (var row in rows)
        {
            total++;
            mapped += row.IsMapped ? 1 : 0;
            diagnostics.AddRange(row.Diagnostics);
        }

        return (kind, total, mapped, diagnostics);
    }
}
