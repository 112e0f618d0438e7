using System.Text;
using System.Text.RegularExpressions;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Reading;

/// <summary>
/// A command a <see cref="SisReader"/> runs: the SQL text in the profile's dialect, its parameters (values are
/// never in the text), and for each record field the result column that holds it.
/// </summary>
/// <param name="CommandText">The SQL.</param>
/// <param name="Parameters">The parameters by name (without the dialect's prefix).</param>
/// <param name="FieldColumns">For each mapped field, its result column: an ordinal for table mappings, a name for query mappings.</param>
public sealed partial record SisQuery(string CommandText, IReadOnlyList<KeyValuePair<string, object>> Parameters, IReadOnlyList<(SisField Field, string Column, int? Ordinal)> FieldColumns)
{
    private static readonly string[] OrderFields = ["studentNumber", "schoolYear", "term", "courseCode", "changeCode", "unitName"];

    /// <summary>Builds the query that reads <paramref name="kind"/> for <paramref name="term"/>.</summary>
    /// <param name="profile">The mapping profile.</param>
    /// <param name="kind">The record kind.</param>
    /// <param name="term">The term, for per-term kinds (grades, courses, class history, cadres); ignored otherwise.</param>
    /// <param name="school">The school code, passed to queries that use <c>@schoolCode</c>.</param>
    /// <param name="page">Optional paging: rows to skip and rows to return.</param>
    /// <returns>The query.</returns>
    /// <exception cref="InvalidOperationException">The profile does not map <paramref name="kind"/>, or a per-term kind is read without a term.</exception>
    public static SisQuery Build(SisProfile profile, SisRecordKind kind, SchoolTerm? term = null, SchoolCode? school = null, (long Offset, int Count)? page = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!profile.TryGetMapping(kind, out var mapping))
        {
            throw new InvalidOperationException($"Profile '{profile.Name}' does not map {SisProfile.KindName(kind)}.");
        }

        var perTerm = SisField.IsPerTerm(kind);
        if (perTerm && term is null)
        {
            throw new InvalidOperationException($"{SisProfile.KindName(kind)} are read one term at a time; give a term.");
        }

        var dialect = profile.Dialect;
        var fields = SisField.Of(kind).Where(f => mapping.Columns.ContainsKey(f.Name)).ToList();
        var placeholderValues = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["schoolYear"] = term?.Year.RocYear ?? (object)DBNull.Value,
            ["term"] = term is { } t ? (int)t.Term : DBNull.Value,
            ["schoolCode"] = school?.Value ?? (object)DBNull.Value,
        };

        if (mapping.Query is { } query)
        {
            var text = dialect.RewritePlaceholders(query.Trim().TrimEnd(';').TrimEnd(), out var names);
            var parameters = names.Select((n, i) => new KeyValuePair<string, object>(dialect.ParameterName(i), placeholderValues[n])).ToList();
            var columns = fields.Select(f => (f, mapping.Columns[f.Name], (int?)null)).ToList();
            if (page is { } p)
            {
                // A query that ends with its own ORDER BY is paged as written, in its own order (SQL Server refuses an
                // ORDER BY inside a derived table, Msg 1033); any other is wrapped and ordered by its first column.
                text = TrailingOrderBy().IsMatch(text)
                    ? dialect.Page(text, p.Offset, p.Count)
                    : dialect.Page($"SELECT * FROM ({text}) q ORDER BY 1", p.Offset, p.Count);
            }

            return new SisQuery(text, parameters, columns);
        }

        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", fields.Select(f => dialect.QuoteIdentifier(mapping.Columns[f.Name])));
        sql.Append(" FROM ").Append(dialect.QuoteIdentifier(mapping.Table!));
        var tableParameters = new List<KeyValuePair<string, object>>();
        if (perTerm)
        {
            sql.Append(" WHERE ").Append(dialect.QuoteIdentifier(mapping.Columns["schoolYear"])).Append(" = ").Append(dialect.ParameterMarker(0))
               .Append(" AND ").Append(dialect.QuoteIdentifier(mapping.Columns["term"])).Append(" = ").Append(dialect.ParameterMarker(1));
            tableParameters.Add(new(dialect.ParameterName(0), term!.Value.Year.RocYear));
            tableParameters.Add(new(dialect.ParameterName(1), (int)term.Value.Term));
        }

        // A stable order makes row numbers in diagnostics reproducible: by student, then by the record's own key.
        var order = OrderFields
            .Where(mapping.Columns.ContainsKey).Select(k => dialect.QuoteIdentifier(mapping.Columns[k])).ToList();
        if (order.Count > 0)
        {
            sql.Append(" ORDER BY ").AppendJoin(", ", order);
        }

        var commandText = sql.ToString();
        if (page is { } paging)
        {
            commandText = dialect.Page(order.Count > 0 ? commandText : commandText + " ORDER BY 1", paging.Offset, paging.Count);
        }

        return new SisQuery(commandText, tableParameters, fields.Select((f, i) => (f, mapping.Columns[f.Name], (int?)i)).ToList());
    }

    // ORDER BY with nothing parenthesised or quoted after it: the query's own, top-level order.
    [GeneratedRegex(@"\bORDER\s+BY\s+[^()'""]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingOrderBy();
}
