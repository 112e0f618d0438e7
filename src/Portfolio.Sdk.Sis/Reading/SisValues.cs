using System.Collections.Frozen;
using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Reading;

/// <summary>The values of one source row, converted field by field; every problem becomes a diagnostic.</summary>
internal sealed class SisValues
{
    // Course codes repeat across a term's rows; parsing each distinct code once keeps the per-row cost low.
    // Bounded, so memory stays flat whatever the data.
    private const int CourseCodeCacheLimit = 20_000;

    private readonly FrozenDictionary<string, int> _indexByName;
    private readonly (SisField Field, string Column)[] _columns;
    private readonly SisCell[] _raw;
    private readonly SisRecordMapping _mapping;
    private readonly string _source;
    private readonly Dictionary<string, ParseOutcome<CourseCode>> _courseCodes = new(StringComparer.Ordinal);

    public SisValues(SisRecordMapping mapping, string source, IReadOnlyList<(SisField Field, string Column)> columns)
    {
        _mapping = mapping;
        _source = source;
        _columns = [.. columns];
        _raw = new SisCell[_columns.Length];
        _indexByName = _columns.Select((c, i) => (c.Field.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
    }

    public List<Diagnostic> Diagnostics { get; } = [];

    public long Row { get; private set; }

    public void Reset(long row)
    {
        Row = row;
        Diagnostics.Clear();
    }

    public void Set(int index, in SisCell cell) => _raw[index] = cell;

    public string? Text(string name)
    {
        if (!TryGet(name, out var entry))
        {
            return null;
        }

        var text = entry.Raw.ToText();
        text = string.IsNullOrEmpty(text) ? null : text;
        if (text is not null && _mapping.Values.TryGetValue(name, out var map))
        {
            if (map.TryGetValue(text, out var translated))
            {
                text = translated;
            }
            else
            {
                Add(DiagnosticCodes.SisValueUnmapped, entry, text);
                if (entry.Field.IsRequired)
                {
                    Diagnostics[^1] = Diagnostics[^1] with { Severity = DiagnosticSeverity.Error };
                }

                return null;
            }
        }

        if (text is null && entry.Field.IsRequired)
        {
            Diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisValueMissing, Location(entry), entry.Column, name));
        }

        return text;
    }

    public string RequiredText(string name) => Text(name) ?? string.Empty;

    /// <summary>The field's value as the SIS holds it, trimmed, without conversion or diagnostics (for classified logging).</summary>
    public string? RawText(string name) =>
        TryGet(name, out var entry) ? entry.Raw.ToText() : null;

    public NationalId NationalId(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return default;
        }

        TryGet(name, out var entry);
        var outcome = Identity.NationalId.Validate(text, Location(entry));
        Diagnostics.AddRange(outcome.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info));
        return outcome.Value;
    }

    public CourseCode? CourseCode(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!_courseCodes.TryGetValue(text, out var outcome))
        {
            outcome = Courses.CourseCode.Validate(text);
            if (_courseCodes.Count < CourseCodeCacheLimit)
            {
                _courseCodes[text] = outcome;
            }
        }

        if (!outcome.Success)
        {
            TryGet(name, out var entry);
            var at = Location(entry);
            Diagnostics.AddRange(outcome.Diagnostics.Where(d => d.IsError).Select(d => d.At(at with { Path = d.Location?.Path is { } p ? $"{name}.{p}" : name })));
        }

        return outcome.Success ? outcome.Value : null;
    }

    public DateOnly? Date(string name)
    {
        if (!TryGet(name, out var entry))
        {
            return null;
        }

        if (entry.Raw.Kind == SisCellKind.DateTime)
        {
            return DateOnly.FromDateTime(entry.Raw.DateTime);
        }

        switch (entry.Raw.Other)
        {
            case DateOnly date:
                return date;
            case DateTimeOffset offset:
                return DateOnly.FromDateTime(offset.DateTime);
        }

        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (DateText.TryParse(text, out var parsed))
        {
            return parsed;
        }

        Add(DiagnosticCodes.SisValueInvalid, entry, text, "日期", "date");
        return null;
    }

    public decimal? Number(string name)
    {
        if (!TryGet(name, out var entry))
        {
            return null;
        }

        switch (entry.Raw.Kind)
        {
            case SisCellKind.Decimal:
                // A DECIMAL(5,1) or (5,2) column (MySQL/MariaDB, SQL Server) gives 66.0 or 66.00: the value, not its
                // column's scale, goes into the roster, as from any other database.
                return entry.Raw.Decimal / 1.000000000000000000000000000000000m;
            case SisCellKind.Integer:
                return entry.Raw.Integer;
            case SisCellKind.Double:
                return Convert.ToDecimal(entry.Raw.Double);
            case SisCellKind.Other when entry.Raw.Other is float:
                return Convert.ToDecimal(entry.Raw.Other, CultureInfo.InvariantCulture);
        }

        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Add(DiagnosticCodes.SisValueInvalid, entry, text, "數字", "number");
        return null;
    }

    public int? WholeNumber(string name)
    {
        TryGet(name, out var entry);
        var number = Number(name);
        if (number is null)
        {
            return null;
        }

        if (number != decimal.Truncate(number.Value) || number is > int.MaxValue or < int.MinValue)
        {
            Add(DiagnosticCodes.SisValueInvalid, entry, number.Value.ToString(CultureInfo.InvariantCulture), "整數", "whole number");
            return null;
        }

        return (int)number.Value;
    }

    public SchoolYear? SchoolYear(string name)
    {
        TryGet(name, out var entry);
        var number = WholeNumber(name);
        return number switch
        {
            null => null,
            >= Calendar.SchoolYear.MinValue and <= Calendar.SchoolYear.MaxValue => new SchoolYear(number.Value),
            >= 1912 and <= 2910 => new SchoolYear(number.Value - Calendar.SchoolYear.RocOffset),
            _ => Invalid(entry, number.Value.ToString(CultureInfo.InvariantCulture), "學年度", "school year"),
        };
    }

    public Term? Term(string name)
    {
        TryGet(name, out var entry);
        var number = WholeNumber(name);
        return number switch
        {
            null => null,
            1 or 2 => (Term)number.Value,
            _ => InvalidTerm(entry, number.Value),
        };
    }

    public SchoolTerm? SchoolTerm(string yearName, string termName) =>
        SchoolYear(yearName) is { } year && Term(termName) is { } term ? new SchoolTerm(year, term) : null;

    public string? CodeList(string name) => Text(name) is { } text ? RosterCodeList.Normalise(text) : null;

    public GradeKind GradeKind(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return Records.GradeKind.Regular;
        }

        if (Enum.TryParse<GradeKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind))
        {
            return kind;
        }

        TryGet(name, out var entry);
        Add(DiagnosticCodes.SisValueInvalid, entry, text, "成績類別", "grade kind (regular, makeupCourse, transfer, retake, repeatYear, makeupExam)");
        return Records.GradeKind.Regular;
    }

    private bool TryGet(string name, out (SisField Field, string Column, SisCell Raw) entry)
    {
        if (_indexByName.TryGetValue(name, out var index))
        {
            entry = (_columns[index].Field, _columns[index].Column, _raw[index]);
            return true;
        }

        entry = default;
        return false;
    }

    private DiagnosticLocation Location((SisField Field, string Column, SisCell Raw) entry) =>
        new(Source: _source, Row: Row > int.MaxValue ? null : (int)Row, Column: entry.Column, Path: entry.Field.Name);

    private SchoolYear? Invalid((SisField Field, string Column, SisCell Raw) entry, string text, string zh, string en)
    {
        Add(DiagnosticCodes.SisValueInvalid, entry, text, zh, en);
        return null;
    }

    private Term? InvalidTerm((SisField Field, string Column, SisCell Raw) entry, int value)
    {
        Add(DiagnosticCodes.SisValueInvalid, entry, value.ToString(CultureInfo.InvariantCulture), "學期（1 或 2）", "term (1 or 2)");
        return null;
    }

    private void Add(string code, (SisField Field, string Column, SisCell Raw) entry, string value, string? zh = null, string? en = null)
    {
        // Never echo an ID or a name: values of text fields that may hold personal data are masked.
        var shown = entry.Field.Type == SisFieldType.NationalId || entry.Field.Name is "name" or "studentNumber"
            ? Privacy.Redaction.MaskIdentifier(value)
            : value;
        Diagnostics.Add(code == DiagnosticCodes.SisValueInvalid
            ? DiagnosticCatalog.Create(code, Location(entry), entry.Column, entry.Field.Name, shown, zh, en)
            : DiagnosticCatalog.Create(code, Location(entry), entry.Column, entry.Field.Name, shown));
    }
}
