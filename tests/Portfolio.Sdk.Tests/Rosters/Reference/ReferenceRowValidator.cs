using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Rosters.Reference;

/// <summary>
/// The row validator as it was before issue 13's speed work, kept verbatim as the reference the fast validator must
/// agree with (RosterRowValidatorEquivalenceTests).
/// </summary>
/// <remarks>
/// Validates the rows of one roster sheet (資料列檢核): every cell against its column type, and the row rules that
/// the research's data-quality list calls for (the 8/9 + D rule, pass flags against scores, 補考 after a pass,
/// zero scores marked passed, non-numeric credits, 特殊身分別 order, 進修部 rows in day-school books, course codes of
/// another school, duplicate keys). It never throws for bad data, and one bad row never hides another.
/// One validator is used for one sheet: it remembers the keys it has seen to find duplicates.
/// </remarks>
internal sealed class ReferenceRowValidator
{
    // (score column, pass-flag column) pairs that must agree: a flag needs a score, and -1 needs -1.
    private static readonly (string Score, string Flag)[] PassPairs =
    [
        ("score", "passed"), ("makeupExamScore", "makeupExamPassed"), ("makeupCourseScore", "makeupCoursePassed"),
        ("retakeScore", "retakePassed"), ("secondAttemptScore", "secondAttemptPassed"), ("repeatScore", "passed"),
        ("creditedScore", "passed"), ("yearScore", "yearPassed"), ("firstMakeupScore", "firstMakeupPassed"),
        ("secondMakeupScore", "secondMakeupPassed"),
    ];

    // (link column, MD5 column) pairs of the per-year sheets that reference evidence files.
    private static readonly (string Link, string Md5)[] FileReferenceColumns = [("documentLink", "documentMd5"), ("mediaLink", "mediaMd5"), ("proofLink", "proofMd5")];

    private readonly CodeTableCatalog _codes;
    private readonly string? _source;
    private readonly int[] _keyIndexes;
    private readonly Dictionary<ulong, int> _seenKeys = [];
    private readonly (int Score, int Flag)[] _passPairs;
    private readonly bool _isGradeSheet;
    private readonly CodeTable?[] _tables;

    /// <summary>Initializes a validator for one sheet.</summary>
    /// <param name="layout">The sheet's columns for the roster's school year.</param>
    /// <param name="cover">The roster's cover (school, year, term).</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <param name="source">The file name, for diagnostic locations.</param>
    public ReferenceRowValidator(RosterSheetLayout layout, RosterCover cover, CodeTableCatalog? codes = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(cover);
        Layout = layout;
        Cover = cover;
        _codes = codes ?? CodeTableCatalog.Default;
        _source = source;
        _keyIndexes = [.. layout.Sheet.KeyColumns.Select(layout.IndexOf).Where(i => i >= 0)];
        _passPairs = [.. PassPairs.Select(p => (layout.IndexOf(p.Score), layout.IndexOf(p.Flag))).Where(p => p.Item1 >= 0 && p.Item2 >= 0)];
        _isGradeSheet = layout.Columns.Any(c => c.Type == RosterColumnType.Score);
        _tables = [.. layout.Columns.Select(c => c.CodeTableId is { } id && _codes.TryGetTable(id, out var t) ? t : null)];
    }

    /// <summary>Gets the sheet layout.</summary>
    public RosterSheetLayout Layout { get; }

    /// <summary>Gets the cover.</summary>
    public RosterCover Cover { get; }

    /// <summary>
    /// Gets the files of the upload package the rows belong to, by package path. When set, link columns that name
    /// a package path must name one of these files, and their MD5 columns must match it.
    /// </summary>
    public IReadOnlyDictionary<string, Portfolio.Sdk.Rosters.Packages.PackageFile>? PackageFiles { get; init; }

    /// <summary>Gets the number of rows validated.</summary>
    public int RowCount { get; private set; }

    /// <summary>Validates one row and adds every problem found to <paramref name="diagnostics"/>.</summary>
    /// <param name="values">The cell texts in <see cref="Layout"/> order.</param>
    /// <param name="rowNumber">The 1-based row number in the sheet (the header is row 1).</param>
    /// <param name="diagnostics">Where the problems go.</param>
    /// <returns><see langword="true"/> when the row has no error.</returns>
    /// <exception cref="ArgumentException">The number of values is not the number of columns.</exception>
    public bool Validate(IReadOnlyList<string?> values, int rowNumber, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (values.Count != Layout.Columns.Count)
        {
            throw new ArgumentException($"Expected {Layout.Columns.Count} values; got {values.Count}.", nameof(values));
        }

        RowCount++;
        var sink = new ErrorCountingSink(diagnostics);
        for (var i = 0; i < values.Count; i++)
        {
            ValidateCell(i, values[i]?.Trim(), rowNumber, sink);
        }

        ValidateRowRules(values, rowNumber, sink);
        ValidateDuplicate(values, rowNumber, sink);
        return sink.Errors == 0;
    }

    /// <summary>Validates one typed row (e.g. a <see cref="Rows.SemesterGradesRow"/>) as it will be written.</summary>
    /// <param name="row">The row.</param>
    /// <param name="rowNumber">The 1-based row number it will have in the sheet.</param>
    /// <param name="diagnostics">Where the problems go.</param>
    /// <returns><see langword="true"/> when the row has no error.</returns>
    /// <exception cref="ArgumentException">The row belongs to another sheet.</exception>
    public bool Validate(Portfolio.Sdk.Rosters.Rows.IRosterRow row, int rowNumber, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.SheetId != Layout.Sheet.Id)
        {
            throw new ArgumentException($"A {row.SheetId} row cannot be validated as sheet {Layout.Sheet.Id}.", nameof(row));
        }

        var cells = new string?[Layout.Columns.Count];
        row.WriteCells(Layout, cells);
        return Validate(cells, rowNumber, diagnostics);
    }

    private DiagnosticLocation At(int rowNumber, int column) =>
        new(Source: _source, Book: Layout.Sheet.Book.Id, Sheet: Layout.Sheet.Name, Row: rowNumber, Column: column >= 0 ? Layout.Columns[column].Header : null);

    private void ValidateCell(int index, string? value, int rowNumber, ErrorCountingSink sink)
    {
        var column = Layout.Columns[index];
        if (string.IsNullOrEmpty(value))
        {
            if (column.IsRequired)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueRequired, At(rowNumber, index), column.Header));
            }

            return;
        }

        var at = At(rowNumber, index);
        switch (column.Type)
        {
            case RosterColumnType.NationalId:
                sink.AddRange(NationalId.Validate(value, at).Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info));
                break;
            case RosterColumnType.Date when !RosterCellText.TryDate(value, out _):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.DateInvalid, at, column.Header, value));
                break;
            case RosterColumnType.SchoolYear:
                sink.AddRange(SchoolYear.Validate(value, at).Diagnostics);
                break;
            case RosterColumnType.Term when value is not ("1" or "2"):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.TermInvalid, at, value));
                break;
            case RosterColumnType.WholeNumber:
                if (!RosterCellText.TryInteger(value, out var whole))
                {
                    sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueNotInteger, at, column.Header, value));
                }
                else
                {
                    CheckRange(column, whole, at, sink);
                }

                break;
            case RosterColumnType.Number:
                if (!RosterCellText.TryDecimal(value, out var number))
                {
                    sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueNotNumber, at, column.Header, value));
                }
                else
                {
                    CheckRange(column, number, at, sink);
                }

                break;
            case RosterColumnType.Score when !RosterCellText.TryDecimal(value, out var score) || (score != -1 && score is < 0 or > 100):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ScoreInvalid, at, column.Header, value));
                break;
            case RosterColumnType.Credits when !RosterCellText.TryDecimal(value, out var credits) || credits < 0:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CreditsNotNumeric, at, column.Header, value));
                break;
            case RosterColumnType.Code:
                CheckCode(index, value, at, sink);
                break;
            case RosterColumnType.CodeList:
                CheckCodeList(index, value, at, sink);
                break;
            case RosterColumnType.CourseCode:
                // The 8/9 + D rule is a row rule (an error) on grade sheets, not the code-level warning.
                sink.AddRange(CourseCode.Validate(value, at, _codes).Diagnostics
                    .Where(d => !(_isGradeSheet && d.Code == DiagnosticCodes.CourseCodeGroupActivityAttribute)));
                break;
            case RosterColumnType.SchoolCode when RosterRowValidator.LostLeadingZeros(value, 6) is { } padded && SchoolCode.Validate(padded, at, _codes).Success:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.LeadingZerosLost, at, column.Header, value, padded));
                break;
            case RosterColumnType.SchoolCode:
                sink.AddRange(SchoolCode.Validate(value, at, _codes).Diagnostics);
                break;
            case RosterColumnType.Md5 when value.Length != 32 || !value.All(char.IsAsciiHexDigit):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.Md5Invalid, at, column.Header));
                break;
            case RosterColumnType.Url when !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.UrlInvalid, at, column.Header));
                break;
            case RosterColumnType.Text when column.MaxLength is { } max && new StringInfo(value).LengthInTextElements > max:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.TextTooLong, at, column.Header, max, new StringInfo(value).LengthInTextElements));
                break;
        }
    }

    private static void CheckRange(RosterColumn column, decimal value, DiagnosticLocation at, ErrorCountingSink sink)
    {
        if ((column.Minimum is { } min && value < min) || (column.Maximum is { } max && value > max))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueOutOfRange, at, column.Header, value, column.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "−∞", column.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"));
        }
    }

    private void CheckCode(int index, string value, DiagnosticLocation at, ErrorCountingSink sink)
    {
        if (_tables[index] is not { } table)
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableMissing, at, Layout.Columns[index].CodeTableId));
            return;
        }

        if (table.Check(value, Cover.Year, at) is { } problem)
        {
            // "1" where the table has "01": a spreadsheet made the code a number; say which code it was.
            var padded = value.All(char.IsAsciiDigit)
                ? table.Entries.Select(e => e.Code).FirstOrDefault(c => c.Length > value.Length && RosterRowValidator.LostLeadingZeros(value, c.Length) == c)
                : null;
            sink.Add(padded is null ? problem : DiagnosticCatalog.Create(DiagnosticCodes.LeadingZerosLost, at, Layout.Columns[index].Header, value, padded));
        }
    }

    private void CheckCodeList(int index, string value, DiagnosticLocation at, ErrorCountingSink sink)
    {
        var items = value.Split(',');
        var codes = items.Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
        foreach (var code in codes.Distinct(StringComparer.Ordinal))
        {
            CheckCode(index, code, at, sink);
        }

        var normalised = RosterCodeList.Normalise(value);
        if (!string.Equals(normalised, value, StringComparison.Ordinal))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeListNotNormalised, at, Layout.Columns[index].Header, value, normalised));
        }
    }

    // The pass mark of the row's 學制 (課程類型, or 進修部) in the default policy, as the validator under test reads it.
    private (decimal Mark, string Program)? PassMark(IReadOnlyList<string?> values)
    {
        var continuing = Layout.Sheet.Book.Division == RosterDivision.Continuing;
        var code = Value(values, "courseCode") ?? Value(values, "originalCourseCode");
        var courseType = code is not null && CourseCode.TryParse(code, out var parsed) ? parsed.CourseType : null;
        if (Portfolio.Sdk.Policy.PortfolioPolicy.Default.For(Cover.Year).PassMarkFor(courseType, continuing) is not { } mark)
        {
            return null;
        }

        var program = continuing ? "進修部"
            : _codes.TryGetTable("course-type", out var table) && table.Entries.FirstOrDefault(e => e.Code == courseType) is { Name: { Length: > 0 } name } ? name
            : "課程類型 " + courseType;
        return (mark, program);
    }

    private string? Value(IReadOnlyList<string?> values, string key)
    {
        var index = Layout.IndexOf(key);
        return index >= 0 && values[index] is { } v && v.Trim() is { Length: > 0 } trimmed ? trimmed : null;
    }

    private void ValidateRowRules(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        // Pass flags against their scores.
        foreach (var (scoreIndex, flagIndex) in _passPairs)
        {
            var score = values[scoreIndex]?.Trim();
            var flag = values[flagIndex]?.Trim();
            if (string.IsNullOrEmpty(score) || string.IsNullOrEmpty(flag) || !RosterCellText.TryDecimal(score, out var s))
            {
                continue;
            }

            var noScore = s == -1;
            if (noScore != (flag == RosterCellText.NoValue) && flag is "1" or "0" or "-1")
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.PassFlagInconsistent, At(rowNumber, scoreIndex), Layout.Columns[scoreIndex].Header, score, Layout.Columns[flagIndex].Header, flag));
            }
            else if (s == 0 && flag == "1")
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ZeroScorePassed, At(rowNumber, scoreIndex), Layout.Columns[scoreIndex].Header));
            }
            else if (!noScore && flag is "1" or "0" && PassMark(values) is { } mark && (flag == "1") != (s >= mark.Mark))
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.PassFlagAgainstPassMark, At(rowNumber, flagIndex), Layout.Columns[scoreIndex].Header, score,
                    mark.Program, mark.Mark.ToString(CultureInfo.InvariantCulture), flag));
            }
        }

        // 補考 for a subject already passed (the research found these in submitted rosters).
        var makeup = Value(values, "makeupExamScore");
        if (makeup is not null && makeup != RosterCellText.NoValue
            && (Value(values, "passed") == "1" || Value(values, "makeupCoursePassed") == "1" || Value(values, "secondAttemptPassed") == "1"))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.MakeupAfterPass, At(rowNumber, Layout.IndexOf("makeupExamScore")), makeup));
        }

        // A range that ends before it starts (幹部, 借讀, 多元表現 periods).
        if (Value(values, "startDate") is { } start && Value(values, "endDate") is { } end
            && RosterCellText.TryDate(start, out var from) && RosterCellText.TryDate(end, out var until) && until < from)
        {
            var endIndex = Layout.IndexOf("endDate");
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.DateRangeInverted, At(rowNumber, endIndex), Layout.Columns[endIndex].Header,
                until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Layout.Columns[Layout.IndexOf("startDate")].Header, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        // 實際修課學期 inside the roster's school year (and its term, for a per-semester roster).
        if (Value(values, "actualTerm") is { } actual && SchoolTerm.TryParse(actual, out var taken)
            && (taken.Year != Cover.Year || (Cover.Term != Term.WholeYear && taken.Term != Cover.Term)))
        {
            var index = Layout.IndexOf("actualTerm");
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.TermOutsideBook, At(rowNumber, index), Layout.Columns[index].Header, actual,
                Cover.Term == Term.WholeYear ? Cover.Year.RocYear.ToString(CultureInfo.InvariantCulture) + " 學年度 / school year" : Cover.SchoolTerm.ToString()));
        }

        ValidateCourseRules(values, rowNumber, sink);
        ValidateStudentRules(values, rowNumber, sink);
        ValidateFileReferences(values, rowNumber, sink);
    }

    private void ValidateFileReferences(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        if (PackageFiles is null)
        {
            return;
        }

        foreach (var (linkKey, md5Key) in FileReferenceColumns)
        {
            var link = Value(values, linkKey);
            if (link is null || link.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            var linkIndex = Layout.IndexOf(linkKey);
            if (!PackageFiles.TryGetValue(link, out var file))
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.RowFileMissing, At(rowNumber, linkIndex), Layout.Columns[linkIndex].Header, link));
            }
            else if (Value(values, md5Key) is { } md5 && !string.Equals(md5, file.Md5, StringComparison.OrdinalIgnoreCase))
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.RowFileMd5Mismatch, At(rowNumber, Layout.IndexOf(md5Key)), Layout.Columns[Layout.IndexOf(md5Key)].Header));
            }
        }
    }

    private void ValidateCourseRules(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        var courseIndex = Layout.IndexOf("courseCode");
        if (courseIndex < 0 || !CourseCode.TryParse(Value(values, "courseCode"), out var course))
        {
            return;
        }

        if (course.SchoolCode != Cover.School && Layout.Sheet.Book.Cadence == RosterCadence.Semester)
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseSchoolMismatch, At(rowNumber, courseIndex), course.SchoolCode.Value, Cover.School.Value));
        }

        if (_isGradeSheet)
        {
            var countingKey = Layout.IndexOf("creditCounting") >= 0 ? "creditCounting" : "hourCounting";
            var counting = Value(values, countingKey);
            if (!course.AllowsGradeSubmission)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.GroupActivityWithoutD, At(rowNumber, courseIndex), course.CourseCategory, course.SubjectAttribute));
            }
            else if (course.RequiredCreditCounting is { } required && counting is not null && counting != required)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.GroupActivityCreditCounting, At(rowNumber, Layout.IndexOf(countingKey)), counting));
            }
            else if (counting == CourseCode.GroupActivityCreditCounting && !course.IsGroupActivityOrFlexibleLearning)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CreditCounting3RegularCourse, At(rowNumber, Layout.IndexOf(countingKey)), course.CourseCategory));
            }
        }

        // On-time students take grade-N courses of the cohort that entered N−1 years before the roster's year.
        if (Layout.Sheet.Id == "semester-grades" && RosterCellText.TryInteger(Value(values, "gradeLevel") ?? string.Empty, out var grade) && grade is >= 1 and <= 4)
        {
            var expected = Cover.Year.RocYear - (grade - 1);
            if (course.CohortYear.RocYear != expected)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseCohortGradeMismatch, At(rowNumber, courseIndex), course.CohortYear.RocYear, grade, Cover.Year.RocYear, expected));
            }
        }
    }

    private void ValidateStudentRules(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        var classType = Value(values, "classType");
        if (classType is not null && Layout.Sheet.Book.Division == RosterDivision.Day
            && _codes.TryGetTable(CodeTableIds.ContinuingClassType, out var continuing) && continuing.TryGet(classType, null, out var entry))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ContinuingInDayBook, At(rowNumber, Layout.IndexOf("classType")), classType, entry.Name));
        }

        if (Layout.IndexOf("specialStatus") is var statusIndex and >= 0 && Layout.IndexOf("indigenousNation") >= 0)
        {
            var isIndigenous = (Value(values, "specialStatus") ?? string.Empty).Split(',').Any(c => c.Trim() == "1");
            var hasNation = Value(values, "indigenousNation") is not null;
            if (isIndigenous && !hasNation)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.IndigenousInconsistent, At(rowNumber, statusIndex), "特殊身分別含 1（原住民生）但未填原住民族別", "special status includes 1 (indigenous) but no nation is given"));
            }
            else if (!isIndigenous && hasNation)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.IndigenousInconsistent, At(rowNumber, statusIndex), "填了原住民族別但特殊身分別不含 1", "an indigenous nation is given but the special status lacks 1"));
            }
        }
    }

    private void ValidateDuplicate(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        if (_keyIndexes.Length == 0)
        {
            return;
        }

        // A 64-bit FNV-1a hash of the key keeps memory at a few bytes a row; a false match needs ~2^32 rows.
        var hash = 14695981039346656037UL;
        foreach (var index in _keyIndexes)
        {
            foreach (var c in (values[index] ?? string.Empty).Trim().ToUpperInvariant())
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ 0x1F) * 1099511628211UL;
        }

        if (!_seenKeys.TryAdd(hash, rowNumber))
        {
            var keys = string.Join("+", _keyIndexes.Select(i => Layout.Columns[i].Header));
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.DuplicateRow, At(rowNumber, -1), _seenKeys[hash], keys));
        }
    }

    private sealed class ErrorCountingSink(ICollection<Diagnostic> inner)
    {
        public int Errors { get; private set; }

        public void Add(Diagnostic diagnostic)
        {
            if (diagnostic.IsError)
            {
                Errors++;
            }

            inner.Add(diagnostic);
        }

        public void AddRange(IEnumerable<Diagnostic> diagnostics)
        {
            foreach (var d in diagnostics)
            {
                Add(d);
            }
        }
    }
}
