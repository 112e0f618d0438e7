using System.Text.Encodings.Web;
using System.Text.Json;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Cli;

/// <summary>JSON output shared by the commands: stable camel-case names, readable Chinese.</summary>
internal static class CliJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void WriteDiagnostics(Utf8JsonWriter writer, IEnumerable<Diagnostic> diagnostics)
    {
        writer.WriteStartArray("diagnostics");
        foreach (var d in diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("code", d.Code);
            writer.WriteString("severity", Severity(d.Severity));
            writer.WriteString("message", d.Message);
            writer.WriteString("messageEnglish", d.MessageEnglish);
            if (d.Location is { } l)
            {
                writer.WriteStartObject("location");
                WriteIfPresent(writer, "source", l.Source);
                WriteIfPresent(writer, "book", l.Book);
                WriteIfPresent(writer, "sheet", l.Sheet);
                if (l.Row is { } row)
                {
                    writer.WriteNumber("row", row);
                }

                WriteIfPresent(writer, "column", l.Column);
                WriteIfPresent(writer, "path", l.Path);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };

    public static async Task WriteDiagnosticLinesAsync(TextWriter output, IEnumerable<Diagnostic> diagnostics, string indent = "  ")
    {
        foreach (var d in diagnostics)
        {
            var where = d.Location?.ToString() is { Length: > 0 } l ? $" [{l}]" : string.Empty;
            await output.WriteLineAsync($"{indent}{d.Code} {Severity(d.Severity)}{where}: {d.Message}");
            await output.WriteLineAsync($"{indent}       {d.MessageEnglish}");
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
