using System.Globalization;
using System.Text;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Sis.Import;

/// <summary>
/// A streaming CSV reader (RFC 4180): comma-separated fields, fields in double quotes may hold commas, line breaks
/// and doubled quotes (<c>""</c>); records end at LF or CRLF outside quotes. An unterminated quote runs to the end
/// of the file and drops that record with <c>PF2205</c>. A field longer than <see cref="InputLimits.MaxCellLength"/>
/// is cut (memory stays at one field of that length) and reported with <c>PF1309</c>; reading stops after
/// <see cref="InputLimits.MaxRows"/> records. Row numbers are the line on which each record starts.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<WorksheetRow> Read(TextReader reader) => Read(reader, InputLimits.Default, null, []);

    public static IEnumerable<WorksheetRow> Read(TextReader reader, InputLimits limits, string? source, List<Diagnostic> diagnostics)
    {
        var records = 0;
        long fieldLength = 0;
        var fields = new List<string?>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var quotedField = false;
        int c;

        // A field is kept up to the limit and only counted beyond it, so an endless field costs no memory.
        void Append(char ch)
        {
            if (++fieldLength <= limits.MaxCellLength)
            {
                field.Append(ch);
            }
        }

        void EndField()
        {
            if (fieldLength > limits.MaxCellLength)
            {
                diagnostics.Add(InputDiagnostics.LimitExceeded(new DiagnosticLocation(Source: source, Row: recordLine, Column: (fields.Count).ToString(CultureInfo.InvariantCulture)), "欄位字數", "characters of a field", fieldLength, limits.MaxCellLength));
            }

            fieldLength = 0;
        }

        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !quotedField:
                    inQuotes = true;
                    quotedField = true;
                    break;
                case ',':
                    fields.Add(Take(field, quotedField));
                    EndField();
                    quotedField = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    fields.Add(Take(field, quotedField));
                    EndField();
                    quotedField = false;
                    if (fields.Exists(f => !string.IsNullOrWhiteSpace(f)))
                    {
                        if (++records > limits.MaxRows)
                        {
                            diagnostics.Add(InputDiagnostics.LimitExceeded(new DiagnosticLocation(Source: source, Row: recordLine), "檔案列數", "rows of a file", records, limits.MaxRows));
                            yield break;
                        }

                        yield return new WorksheetRow(recordLine, [.. fields]);
                    }

                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    Append(ch);
                    break;
            }
        }

        if (inQuotes)
        {
            EndField();
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ImportQuoteUnterminated, new DiagnosticLocation(Source: source, Row: recordLine), recordLine.ToString(CultureInfo.InvariantCulture)));
            yield break;
        }

        if (field.Length > 0 || fields.Count > 0 || quotedField)
        {
            fields.Add(Take(field, quotedField));
            EndField();
            if (fields.Exists(f => !string.IsNullOrWhiteSpace(f)))
            {
                yield return new WorksheetRow(recordLine, [.. fields]);
            }
        }
    }

    private static string? Take(StringBuilder field, bool quoted)
    {
        var text = field.ToString();
        field.Clear();
        return text.Length == 0 && !quoted ? null : text;
    }
}
