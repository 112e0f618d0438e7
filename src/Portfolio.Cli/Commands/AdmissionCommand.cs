using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio admission check</c>: what a student can bring to each admission route from the items submitted.</summary>
internal static class AdmissionCommand
{
    public static Command Build() => new("admission", "升學備審準備 / admission preparation") { Check() };

    private static Command Check()
    {
        var student = new Option<string>("--student") { Description = "學生（身分證號，輸出時遮罩）/ the student's key (masked in the output)", Required = true };
        var year = new Option<int>("--year") { Description = "招生學年度，例如 113（113學年度簡章）/ the admission year, e.g. 113 (the 113 簡章)", Required = true };
        var provider = new Option<string>("--provider") { Description = "資料庫種類：sqlite 或 postgres / the database kind: sqlite or postgres", Required = true };
        var connection = new Option<string>("--connection") { Description = "連線字串（sqlite 可只給檔名）/ connection string (a file name for sqlite)", Required = true };
        var rules = new Option<FileInfo?>("--rules") { Description = "較新的升學參採規則檔，覆蓋內建規則 / newer admission rules, layered over the shipped ones" };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var command = new Command("check", "依已提交的項目，列出各升學管道可採計的件數與項目代碼 / from the submitted items, what the student can bring to each route and under which item codes")
        {
            student, year, provider, connection, rules, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var studentKey = parse.GetValue(student)?.Trim();
            if (string.IsNullOrEmpty(studentKey) || parse.GetValue(year) is not (>= SchoolYear.MinValue and <= SchoolYear.MaxValue)
                || SisCommand.Open(parse.GetValue(provider)!, parse.GetValue(connection)!) is not { } opened)
            {
                await error.WriteLineAsync("--student 不可空白，--year 應為學年度，--provider 應為 sqlite 或 postgres / --student must not be empty, --year must be a school year and --provider sqlite or postgres");
                return ExitCodes.UsageOrUnreadable;
            }

            var admissionRules = AdmissionRules.Default;
            if (parse.GetValue(rules) is { } file)
            {
                if (!file.Exists)
                {
                    await error.WriteLineAsync($"找不到規則檔 / rules file not found: {file.Name}");
                    return ExitCodes.UsageOrUnreadable;
                }

                await using var stream = file.OpenRead();
                var loaded = AdmissionRules.Load(stream, file.Name);
                if (!loaded.Success)
                {
                    await error.WriteLineAsync($"規則檔有誤 / the rules file is invalid: {file.Name}");
                    await CliJson.WriteDiagnosticLinesAsync(error, loaded.Diagnostics);
                    return ExitCodes.UsageOrUnreadable;
                }

                admissionRules = admissionRules.WithOverrides(loaded.Value!);
            }

            await using var dataSource = opened.DataSource;
            if (await ModuleCommand.OpenReadOnlyAsync(dataSource, opened.Dialect, error, cancellationToken) is not { } module)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            // Read-only, as the school's administrator: the query never touches files.
            var actor = ModuleCommand.CliAdministrator;
            var result = await module.AssessAdmissionAsync(actor, studentKey, new SchoolYear(parse.GetValue(year)), admissionRules, cancellationToken: cancellationToken);
            var assessment = result.Value!;
            var masked = Redaction.MaskIdentifier(studentKey);
            await (parse.GetValue(json) ? WriteJsonAsync(output, masked, assessment) : WriteTextAsync(output, masked, assessment));
            return assessment.Diagnostics.Any(d => d.IsError) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static string Short(Guid id) => id.ToString("N", CultureInfo.InvariantCulture)[..8];

    private static string Describe(AdmissionItem item) => item.Kind == AdmissionItemKind.CourseOutcome
        ? $"課程學習成果 course outcome {item.SubmittedFor.RocYear} {item.CourseCode?.Value} (科目屬性 {item.CourseCode?.SubjectAttribute})"
        : $"多元表現 performance {item.SubmittedFor.RocYear} {item.PerformanceCategory}";

    private static async Task WriteTextAsync(TextWriter output, string student, AdmissionAssessment assessment)
    {
        await output.WriteLineAsync($"{assessment.Year.RocYear} 學年度招生 升學備審準備 / admission preparation, admission year {assessment.Year.RocYear}: student {student}, {assessment.Items.Count} submitted items (rules {assessment.RulesRevision})");
        foreach (var route in assessment.Routes)
        {
            await output.WriteLineAsync();
            if (route.Edition is not { } edition)
            {
                await output.WriteLineAsync($"{route.Route.Name} / {route.Route.NameEnglish}: 無此學年度規則 / no rules for this year");
                continue;
            }

            await output.WriteLineAsync($"{route.Route.Name} / {route.Route.NameEnglish} ({edition.From.RocYear}{(edition.Until is { } u ? $"–{u.RocYear}" : "–")} edition, evidence {edition.Evidence.ToTag()})");
            await output.WriteLineAsync("  cap                have  max  min  counts  evidence");
            foreach (var cap in route.Caps)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {cap.Cap.Id,-17} {cap.Available,5}  {cap.Cap.Max,3}  {(cap.Cap.Min is { } min ? min.ToString(CultureInfo.InvariantCulture) : "-"),3}  {cap.Counted,6}  {cap.Cap.Evidence.ToTag()}{(cap.MeetsMinimum ? string.Empty : "  below minimum")}"));
            }

            await output.WriteLineAsync($"  每個校系最多可採計 / most items one 校系 counts: {route.MostItems}");
            foreach (var code in route.Codes)
            {
                await output.WriteLineAsync($"  {code.Code.Code,-16} {code.Items.Count,3}  {code.Code.Name} [{code.Code.Evidence.ToTag()}]{(code.Items.Count == 0 ? string.Empty : ": " + string.Join(" ", code.Items.Select(Short)))}");
            }

            foreach (var unplaced in route.Unplaced)
            {
                await output.WriteLineAsync($"  不屬於任何項目代碼 / under no code: {Short(unplaced.Item.Id)} {unplaced.Reason.Code}: {unplaced.Reason.Message}");
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("項目 / items:");
        foreach (var placement in assessment.Items)
        {
            var codes = string.Join("; ", placement.Routes.Select(r => $"{r.RouteId}: {(r.Codes.Count > 0 ? string.Join(",", r.Codes) : r.Reason?.Code ?? "-")}"));
            await output.WriteLineAsync($"  {Short(placement.Item.Id)} {Describe(placement.Item)} → {codes}");
        }

        if (assessment.Diagnostics.Count > 0)
        {
            await output.WriteLineAsync();
            await CliJson.WriteDiagnosticLinesAsync(output, assessment.Diagnostics);
        }
    }

    private static Task WriteJsonAsync(TextWriter output, string student, AdmissionAssessment assessment) => CliJson.WriteAsync(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("year", assessment.Year.RocYear);
        writer.WriteString("student", student);
        writer.WriteString("rulesRevision", assessment.RulesRevision);
        writer.WriteStartArray("routes");
        foreach (var route in assessment.Routes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", route.Route.Id);
            writer.WriteString("name", route.Route.Name);
            writer.WriteString("nameEnglish", route.Route.NameEnglish);
            writer.WriteBoolean("known", route.IsKnown);
            if (route.Edition is { } edition)
            {
                writer.WriteStartObject("edition");
                writer.WriteNumber("from", edition.From.RocYear);
                if (edition.Until is { } until)
                {
                    writer.WriteNumber("until", until.RocYear);
                }

                writer.WriteNumber("sourcedThrough", edition.SourcedThrough.RocYear);
                writer.WriteString("evidence", edition.Evidence.ToTag());
                writer.WriteString("source", edition.Source);
                writer.WriteEndObject();
            }

            writer.WriteNumber("mostItems", route.MostItems);
            writer.WriteStartArray("caps");
            foreach (var cap in route.Caps)
            {
                writer.WriteStartObject();
                writer.WriteString("id", cap.Cap.Id);
                WriteStrings(writer, "codes", cap.Cap.Codes);
                writer.WriteNumber("max", cap.Cap.Max);
                if (cap.Cap.Min is { } min)
                {
                    writer.WriteNumber("min", min);
                }

                writer.WriteNumber("available", cap.Available);
                writer.WriteNumber("counted", cap.Counted);
                writer.WriteBoolean("meetsMinimum", cap.MeetsMinimum);
                writer.WriteString("evidence", cap.Cap.Evidence.ToTag());
                writer.WriteString("source", cap.Cap.Source);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("codes");
            foreach (var code in route.Codes)
            {
                writer.WriteStartObject();
                writer.WriteString("code", code.Code.Code);
                writer.WriteString("name", code.Code.Name);
                writer.WriteString("nameEnglish", code.Code.NameEnglish);
                writer.WriteString("evidence", code.Code.Evidence.ToTag());
                writer.WriteString("cap", code.Cap.Id);
                WriteStrings(writer, "items", code.Items.Select(i => i.ToString("D")));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("unplaced");
            foreach (var unplaced in route.Unplaced)
            {
                writer.WriteStartObject();
                writer.WriteString("item", unplaced.Item.Id.ToString("D"));
                WriteReason(writer, unplaced.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("items");
        foreach (var placement in assessment.Items)
        {
            var item = placement.Item;
            writer.WriteStartObject();
            writer.WriteString("id", item.Id.ToString("D"));
            writer.WriteString("kind", item.Kind == AdmissionItemKind.CourseOutcome ? "courseOutcome" : "performance");
            writer.WriteNumber("submittedFor", item.SubmittedFor.RocYear);
            if (item.CourseCode is { } course)
            {
                writer.WriteString("courseCode", course.Value);
                writer.WriteString("subjectAttribute", course.SubjectAttribute);
            }

            if (item.PerformanceCategory is { } category)
            {
                writer.WriteString("category", category);
            }

            writer.WriteStartArray("routes");
            foreach (var route in placement.Routes)
            {
                writer.WriteStartObject();
                writer.WriteString("route", route.RouteId);
                WriteStrings(writer, "codes", route.Codes);
                if (route.Reason is { } reason)
                {
                    WriteReason(writer, reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        CliJson.WriteDiagnostics(writer, assessment.Diagnostics);
        writer.WriteEndObject();
    });

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteReason(Utf8JsonWriter writer, Diagnostic reason)
    {
        writer.WriteStartObject("reason");
        writer.WriteString("code", reason.Code);
        writer.WriteString("severity", CliJson.Severity(reason.Severity));
        writer.WriteString("message", reason.Message);
        writer.WriteString("messageEnglish", reason.MessageEnglish);
        writer.WriteEndObject();
    }
}
