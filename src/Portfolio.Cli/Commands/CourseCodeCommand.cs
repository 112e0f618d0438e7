using System.CommandLine;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio course-code explain &lt;code&gt;... [--json]</c>.</summary>
internal static class CourseCodeCommand
{
    public static Command Build()
    {
        var values = new Argument<string[]>("code")
        {
            Description = "23 碼課程代碼 / 23-character course codes",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var explain = new Command("explain", "解說課程代碼各段 / explain each segment of a course code") { values, json };
        explain.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var inputs = parse.GetValue(values) ?? [];
            var results = inputs.Select((input, index) => (input, outcome: CourseCode.Validate(input, new DiagnosticLocation(Source: $"args[{index}]")))).ToList();
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var (input, outcome) in results)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("input", input);
                        writer.WriteBoolean("valid", outcome.Success);
                        if (outcome.Success)
                        {
                            writer.WriteStartObject("segments");
                            foreach (var segment in outcome.Value.Explain())
                            {
                                writer.WriteStartObject(segment.Info.Key);
                                writer.WriteString("code", segment.Code);
                                writer.WriteString("name", segment.Meaning);
                                writer.WriteEndObject();
                            }

                            writer.WriteEndObject();
                        }
                        else
                        {
                            writer.WriteNull("segments");
                        }

                        CliJson.WriteDiagnostics(writer, outcome.Diagnostics);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
            }
            else
            {
                foreach (var (input, outcome) in results)
                {
                    await output.WriteLineAsync($"{input.Trim()}  {(outcome.Success ? "有效 valid" : "無效 invalid")}");
                    if (outcome.Success)
                    {
                        foreach (var segment in outcome.Value.Explain())
                        {
                            var meaning = segment.Meaning ?? "（未知 unknown）";
                            await output.WriteLineAsync($"  {segment.Info.Positions,-6} {segment.Info.Name,-8} {segment.Code,-6} {meaning}");
                        }
                    }

                    await CliJson.WriteDiagnosticLinesAsync(output, outcome.Diagnostics);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return results.TrueForAll(r => r.outcome.Success) ? ExitCodes.Success : ExitCodes.Invalid;
        });

        return new Command("course-code", "課程代碼工具 / course code (課程代碼) tools") { explain };
    }
}
