using System.Text;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Sis.Import;

/// <summary>
/// A streaming CSV reader (RFC 4180): comma-separated fields, fields in double quotes may hold commas, line breaks
/// and doubled quotes (<c>""</c>); records end at LF or CRLF outside quotes. An unterminated quote runs to the end
/// of the file rather than failing. Row numbers are the line on which each record starts.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<WorksheetRow> Read(TextReader reader)
    {
        var fields = new List<string?>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var quotedField = false;
        int c;
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
                        field.Append('"');
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

                    field.Append(ch);
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
                    quotedField = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    fields.Add(Take(field, quotedField));
                    quotedField = false;
                    if (fields.Exists(f => !string.IsNullOrWhiteSpace(f)))
                    {
                        yield return new WorksheetRow(recordLine, [.. fields]);
                    }

                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0 || quotedField)
        {
            fields.Add(Take(field, quotedField));
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
