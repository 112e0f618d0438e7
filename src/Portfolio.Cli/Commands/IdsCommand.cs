using System.CommandLine;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio ids check &lt;value&gt;... [--json]</c>.</summary>
internal static class IdsCommand
{
    public static Command Build()
    {
        var values = new Argument<string[]>("value")
        {
            Description = "身分證號或居留證統一證號 / national IDs or resident certificate numbers",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var check = new Command("check", "檢查身分證號 / check national IDs (format, kind and check digit)") { values, json };
        check.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var inputs = parse.GetValue(values) ?? [];
            var results = inputs.Select((input, index) => (input, outcome: NationalId.Validate(input, new DiagnosticLocation(Source: $"args[{index}]")))).ToList();
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
                            writer.WriteString("kind", KindName(outcome.Value.Kind));
                            writer.WriteString("masked", outcome.Value.Masked);
                        }
                        else
                        {
                            writer.WriteNull("kind");
                            writer.WriteString("masked", Redaction.MaskIdentifier(input.Trim()));
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
                    var masked = outcome.Success ? outcome.Value.Masked : Redaction.MaskIdentifier(input.Trim());
                    var verdict = outcome.Success ? $"有效 valid   {KindLabel(outcome.Value.Kind)}" : "無效 invalid";
                    await output.WriteLineAsync($"{masked,-12} {verdict}");
                    await CliJson.WriteDiagnosticLinesAsync(output, outcome.Diagnostics);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return results.TrueForAll(r => r.outcome.Success) ? ExitCodes.Success : ExitCodes.Invalid;
        });

        return new Command("ids", "身分證號工具 / national ID tools") { check };
    }

    public static string KindName(NationalIdKind kind) => kind switch
    {
        NationalIdKind.NationalIdentityCard => "nationalIdentityCard",
        NationalIdKind.ResidentCertificateLegacy => "residentCertificateLegacy",
        NationalIdKind.ResidentCertificate => "residentCertificate",
        _ => "unknown",
    };

    private static string KindLabel(NationalIdKind kind) => kind switch
    {
        NationalIdKind.NationalIdentityCard => "國民身分證統一編號 (national ID card)",
        NationalIdKind.ResidentCertificateLegacy => "舊式居留證統一證號 (resident certificate, old format)",
        NationalIdKind.ResidentCertificate => "新式統一證號 (resident certificate, 2021 format)",
        _ => "?",
    };
}
