using System.CommandLine;
using Portfolio.Sdk.Codes;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio codes list|show</c>: the code tables and their evidence.</summary>
internal static class CodesCommand
{
    public static Command Build()
    {
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var file = new Option<FileInfo?>("--file") { Description = "另載入較新的代碼表 JSON 檔 / layer a newer code-table JSON file over the built-in tables" };

        var list = new Command("list", "列出代碼表 / list the code tables") { json, file };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var catalog = await LoadAsync(parse.GetValue(file), parse.InvocationConfiguration.Error, cancellationToken);
            if (catalog is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var table in catalog.Tables)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("id", table.Id);
                        writer.WriteString("name", table.Name);
                        writer.WriteString("nameEnglish", table.NameEnglish);
                        writer.WriteBoolean("closed", table.IsClosed);
                        writer.WriteString("evidence", table.Evidence.ToTag());
                        writer.WriteNumber("count", table.Entries.Count);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
            }
            else
            {
                await output.WriteLineAsync($"code tables revision {catalog.Revision}");
                await CliTerminal.WriteTableAsync(
                    CliTerminal.For(output, json: false),
                    ["id", "名稱 name", "closed/open", "evidence", "代碼數 codes"],
                    catalog.Tables.Select(t => (IReadOnlyList<string>)[t.Id, t.Name, t.IsClosed ? "closed" : "open", t.Evidence.ToTag(), t.Entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
                    async () =>
                    {
                        foreach (var table in catalog.Tables)
                        {
                            await output.WriteLineAsync($"  {table.Id,-24} {table.Name,-14} {(table.IsClosed ? "closed" : "open"),-6} {table.Evidence.ToTag(),-5} {table.Entries.Count,4} codes");
                        }
                    });
            }

            return ExitCodes.Success;
        });

        var id = new Argument<string>("table") { Description = "代碼表識別碼，例如 group / table id, e.g. group" };
        var show = new Command("show", "顯示一個代碼表 / show one code table") { id, json, file };
        show.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var catalog = await LoadAsync(parse.GetValue(file), parse.InvocationConfiguration.Error, cancellationToken);
            if (catalog is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var tableId = parse.GetValue(id)!;
            if (!catalog.TryGetTable(tableId, out var table))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"沒有代碼表「{tableId}」/ there is no code table '{tableId}'. Run 'portfolio codes list'.");
                return ExitCodes.UsageOrUnreadable;
            }

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", table.Id);
                    writer.WriteString("name", table.Name);
                    writer.WriteString("nameEnglish", table.NameEnglish);
                    writer.WriteBoolean("closed", table.IsClosed);
                    writer.WriteString("evidence", table.Evidence.ToTag());
                    writer.WriteString("source", table.Source);
                    writer.WriteStartArray("entries");
                    foreach (var entry in table.Entries)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("code", entry.Code);
                        writer.WriteString("name", entry.Name);
                        writer.WriteString("evidence", entry.Evidence.ToTag());
                        if (entry.From is { } from)
                        {
                            writer.WriteNumber("from", from.RocYear);
                        }

                        if (entry.Until is { } until)
                        {
                            writer.WriteNumber("until", until.RocYear);
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else
            {
                await output.WriteLineAsync($"{table.Id}: {table.Name} / {table.NameEnglish} ({(table.IsClosed ? "closed" : "open")}, evidence {table.Evidence.ToTag()})");
                await output.WriteLineAsync($"source: {table.Source}");
                foreach (var entry in table.Entries)
                {
                    await output.WriteLineAsync($"  {entry.Code,-8} {entry.Name ?? "（未知 unknown）"}  [{entry.Evidence.ToTag()}]");
                }
            }

            return ExitCodes.Success;
        });

        return new Command("codes", "代碼表 / code tables (群別, 科班學程別, 特殊身分別 …)") { list, show };
    }


    private static async Task<CodeTableCatalog?> LoadAsync(FileInfo? file, TextWriter error, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return CodeTableCatalog.Default;
        }

        if (!file.Exists)
        {
            await error.WriteLineAsync($"找不到檔案 / file not found: {file.FullName}");
            return null;
        }

        await using var stream = file.OpenRead();
        var outcome = CodeTableCatalog.Load(stream, file.Name);
        cancellationToken.ThrowIfCancellationRequested();
        await CliJson.WriteDiagnosticLinesAsync(error, outcome.Diagnostics);
        return outcome.Success ? CodeTableCatalog.Default.WithOverrides(outcome.Value!) : null;
    }
}
