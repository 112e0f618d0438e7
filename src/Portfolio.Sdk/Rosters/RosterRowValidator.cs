using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Rosters;

/// <summary>
/// Validates the rows of one roster sheet (資料列檢核): every cell against its column type, and the row rules that
/// the research's data-quality list calls for (the 8/9 + D rule, pass flags against scores, 補考 after a pass,
/// zero scores marked passed, non-numeric credits, 特殊身分別 order, 進修部 rows in day-school books, course codes of
/// another school, duplicate keys). It never throws for bad data, and one bad row never hides another.
/// </summary>
/// <remarks>One validator is used for one sheet: it remembers the keys it has seen to find duplicates.</remarks>
public sealed class RosterRowValidator
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
    private string? _lastCode;
    private string? _lastCourseType;
    private Policy.NationalPolicy? _national;
    private readonly ErrorCountingSink _sink = new();

    // Column indexes the row rules use, looked up once (-1: the sheet has no such column).
    private readonly int _makeupExamScore;
    private readonly int _passed;
    private readonly int _makeupCoursePassed;
    private readonly int _secondAttemptPassed;
    private readonly int _startDate;
    private readonly int _endDate;
    private readonly int _actualTerm;
    private readonly int _courseCode;
    private readonly int _originalCourseCode;
    private readonly int _counting;
    private readonly string _countingKey;
    private readonly int _gradeLevel;
    private readonly bool _isSemesterGrades;
    private readonly int _classType;
    private readonly int _specialStatus;
    private readonly int _indigenousNation;
    private readonly (int Link, int Md5)[] _fileReferences;
    private readonly CodeTable? _continuingClassTypes;

    // Course codes that validated without any diagnostic, so a row repeating one is not parsed again (a sheet has a
    // few hundred distinct codes); bounded so that a hostile file cannot grow it without end.
    private const int CourseCacheLimit = 20_000;
    private readonly Dictionary<string, CourseFacts> _cleanCourses = new(StringComparer.Ordinal);

    /// <summary>Initializes a validator for one sheet.</summary>
    /// <param name="layout">The sheet's columns for the roster's school year.</param>
    /// <param name="cover">The roster's cover (school, year, term).</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <param name="source">The file name, for diagnostic locations.</param>
    public RosterRowValidator(RosterSheetLayout layout, RosterCover cover, CodeTableCatalog? codes = null, string? source = null)
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
        _makeupExamScore = layout.IndexOf("makeupExamScore");
        _passed = layout.IndexOf("passed");
        _makeupCoursePassed = layout.IndexOf("makeupCoursePassed");
        _secondAttemptPassed = layout.IndexOf("secondAttemptPassed");
        _startDate = layout.IndexOf("startDate");
        _endDate = layout.IndexOf("endDate");
        _actualTerm = layout.IndexOf("actualTerm");
        _courseCode = layout.IndexOf("courseCode");
        _originalCourseCode = layout.IndexOf("originalCourseCode");
        _countingKey = layout.IndexOf("creditCounting") >= 0 ? "creditCounting" : "hourCounting";
        _counting = layout.IndexOf(_countingKey);
        _gradeLevel = layout.IndexOf("gradeLevel");
        _isSemesterGrades = layout.Sheet.Id == "semester-grades";
        _classType = layout.IndexOf("classType");
        _specialStatus = layout.IndexOf("specialStatus");
        _indigenousNation = layout.IndexOf("indigenousNation");
        _fileReferences = [.. FileReferenceColumns.Select(p => (layout.IndexOf(p.Link), layout.IndexOf(p.Md5)))];
        _continuingClassTypes = _codes.TryGetTable(CodeTableIds.ContinuingClassType, out var continuing) ? continuing : null;
    }

    /// <summary>Gets the sheet layout.</summary>
    public RosterSheetLayout Layout { get; }

    /// <summary>Gets the cover.</summary>
    public RosterCover Cover { get; }

    /// <summary>
    /// Gets the files of the upload package the rows belong to, by package path. When set, link columns that name
    /// a package path must name one of these files, and their MD5 columns must match it.
    /// </summary>
    public IReadOnlyDictionary<string, Packages.PackageFile>? PackageFiles { get; init; }

    /// <summary>
    /// Gets the policy whose pass marks (及格基準 by 學制) the pass flags are checked against: a flag of 1 under the
    /// mark, or 0 at or above it, is a warning (PF1115). The 學制 is the row's course code's 課程類型, or 進修部 for the
    /// 進修部 books; a 學制 without a pass mark in the policy is not checked.
    /// </summary>
    /// <value>The default is <see cref="Policy.PortfolioPolicy.Default"/>.</value>
    public Policy.PortfolioPolicy Policy { get; init; } = Sdk.Policy.PortfolioPolicy.Default;

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
        var sink = _sink.Reset(diagnostics);
        try
        {
            for (var i = 0; i < values.Count; i++)
            {
                ValidateCell(i, values[i]?.Trim(), rowNumber, sink);
            }

            ValidateRowRules(values, rowNumber, sink);
            ValidateDuplicate(values, rowNumber, sink);
            return sink.Errors == 0;
        }
        finally
        {
            sink.Reset(null);
        }
    }

    /// <summary>Validates one typed row (e.g. a <see cref="Rows.SemesterGradesRow"/>) as it will be written.</summary>
    /// <param name="row">The row.</param>
    /// <param name="rowNumber">The 1-based row number it will have in the sheet.</param>
    /// <param name="diagnostics">Where the problems go.</param>
    /// <returns><see langword="true"/> when the row has no error.</returns>
    /// <exception cref="ArgumentException">The row belongs to another sheet.</exception>
    public bool Validate(Rows.IRosterRow row, int rowNumber, ICollection<Diagnostic> diagnostics)
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

    // Every check runs first on the cell text without allocating; the location and the diagnostics are built only
    // when a check fails (and then by the same code as before, so the diagnostics are the same).
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

        switch (column.Type)
        {
            case RosterColumnType.NationalId when !NationalId.IsCanonicalValid(value):
                foreach (var d in NationalId.Validate(value, At(rowNumber, index)).Diagnostics)
                {
                    if (d.Severity != DiagnosticSeverity.Info)
                    {
                        sink.Add(d);
                    }
                }

                break;
            case RosterColumnType.Date when !RosterCellText.TryDate(value, out _):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.DateInvalid, At(rowNumber, index), column.Header, value));
                break;
            case RosterColumnType.SchoolYear:
                sink.AddRange(SchoolYear.Validate(value, At(rowNumber, index)).Diagnostics);
                break;
            case RosterColumnType.Term when value is not ("1" or "2"):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.TermInvalid, At(rowNumber, index), value));
                break;
            case RosterColumnType.WholeNumber:
                if (!RosterCellText.TryInteger(value, out var whole))
                {
                    sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueNotInteger, At(rowNumber, index), column.Header, value));
                }
                else if (OutOfRange(column, whole))
                {
                    AddOutOfRange(column, whole, At(rowNumber, index), sink);
                }

                break;
            case RosterColumnType.Number:
                if (!RosterCellText.TryDecimal(value, out var number))
                {
                    sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueNotNumber, At(rowNumber, index), column.Header, value));
                }
                else if (OutOfRange(column, number))
                {
                    AddOutOfRange(column, number, At(rowNumber, index), sink);
                }

                break;
            case RosterColumnType.Score when !RosterCellText.TryDecimal(value, out var score) || (score != -1 && score is < 0 or > 100):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ScoreInvalid, At(rowNumber, index), column.Header, value));
                break;
            case RosterColumnType.Credits when !RosterCellText.TryDecimal(value, out var credits) || credits < 0:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CreditsNotNumeric, At(rowNumber, index), column.Header, value));
                break;
            case RosterColumnType.Code when _tables[index] is not { } known || !known.TryGet(value, Cover.Year, out _):
                CheckCode(index, value, At(rowNumber, index), sink);
                break;
            case RosterColumnType.CodeList:
                CheckCodeList(index, value, At(rowNumber, index), sink);
                break;
            case RosterColumnType.CourseCode when !_cleanCourses.ContainsKey(value):
                CheckCourseCode(value, At(rowNumber, index), sink);
                break;
            case RosterColumnType.SchoolCode:
                var at = At(rowNumber, index);
                if (LostLeadingZeros(value, 6) is { } padded && SchoolCode.Validate(padded, at, _codes).Success)
                {
                    sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.LeadingZerosLost, at, column.Header, value, padded));
                }
                else
                {
                    sink.AddRange(SchoolCode.Validate(value, at, _codes).Diagnostics);
                }

                break;
            case RosterColumnType.Md5 when value.Length != 32 || value.AsSpan().ContainsAnyExcept(HexDigits):
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.Md5Invalid, At(rowNumber, index), column.Header));
                break;
            case RosterColumnType.Url when !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.UrlInvalid, At(rowNumber, index), column.Header));
                break;

            // A text never has more text elements than UTF-16 characters: count them only when it could be too long.
            case RosterColumnType.Text when column.MaxLength is { } max && value.Length > max && new StringInfo(value).LengthInTextElements > max:
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.TextTooLong, At(rowNumber, index), column.Header, max, new StringInfo(value).LengthInTextElements));
                break;
        }
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789ABCDEFabcdef");

    private void CheckCourseCode(string value, DiagnosticLocation at, ErrorCountingSink sink)
    {
        // The 8/9 + D rule is a row rule (an error) on grade sheets, not the code-level warning.
        var outcome = CourseCode.Validate(value, at, _codes);
        var reported = 0;
        foreach (var d in outcome.Diagnostics)
        {
            if (!(_isGradeSheet && d.Code == DiagnosticCodes.CourseCodeGroupActivityAttribute))
            {
                sink.Add(d);
                reported++;
            }
        }

        if (outcome.Success && reported == 0 && _cleanCourses.Count < CourseCacheLimit)
        {
            _cleanCourses[value] = new CourseFacts(outcome.Value);
        }
    }

    private bool TryCourse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CourseFacts? course)
    {
        if (value is not null && _cleanCourses.TryGetValue(value, out course))
        {
            return true;
        }

        course = CourseCode.TryParse(value, out var parsed) ? new CourseFacts(parsed) : null;
        return course is not null;
    }

    private static bool OutOfRange(RosterColumn column, decimal value) =>
        (column.Minimum is { } min && value < min) || (column.Maximum is { } max && value > max);

    private static void AddOutOfRange(RosterColumn column, decimal value, DiagnosticLocation at, ErrorCountingSink sink) =>
        sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ValueOutOfRange, at, column.Header, value, column.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "−∞", column.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"));

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
                ? table.Entries.Select(e => e.Code).FirstOrDefault(c => c.Length > value.Length && LostLeadingZeros(value, c.Length) == c)
                : null;
            sink.Add(padded is null ? problem : DiagnosticCatalog.Create(DiagnosticCodes.LeadingZerosLost, at, Layout.Columns[index].Header, value, padded));
        }
    }

    /// <summary>
    /// The code <paramref name="value"/> was before a spreadsheet turned it into a number (<c>60322</c> → <c>060322</c>):
    /// digits only, shorter than <paramref name="length"/>, padded with zeros; <see langword="null"/> otherwise.
    /// </summary>
    internal static string? LostLeadingZeros(string? value, int length) =>
        value is { Length: > 0 } digits && digits.Length < length && digits.All(char.IsAsciiDigit) ? digits.PadLeft(length, '0') : null;

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

    // The pass mark of the row's 學制 in the policy of the cover's school year; null when unknown. Allocation-free on
    // the hot path: the 學制's name is looked up only when a flag disagrees (ProgramName).
    private decimal? PassMark(IReadOnlyList<string?> values)
    {
        var code = ValueAt(values, _courseCode) ?? ValueAt(values, _originalCourseCode);
        if (!string.Equals(code, _lastCode, StringComparison.Ordinal))
        {
            (_lastCode, _lastCourseType) = (code, TryCourse(code, out var course) ? course.CourseType : null);
        }

        _national ??= Policy.For(Cover.Year);
        return _national.PassMarkFor(_lastCourseType, Layout.Sheet.Book.Division == RosterDivision.Continuing);
    }

    // The 學制 of the last row PassMark saw, in its own words (課程類型 code table), e.g. 普通型; 進修部 for its books.
    private string ProgramName()
    {
        if (Layout.Sheet.Book.Division == RosterDivision.Continuing)
        {
            return "進修部";
        }

        var courseType = _lastCourseType;
        return _codes.TryGetTable("course-type", out var table) && table.Entries.FirstOrDefault(e => e.Code == courseType) is { Name: { Length: > 0 } name } ? name
            : "課程類型 " + courseType;
    }

    private static string? ValueAt(IReadOnlyList<string?> values, int index) =>
        index >= 0 && values[index] is { } v && v.Trim() is { Length: > 0 } trimmed ? trimmed : null;

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
            else if (!noScore && flag is "1" or "0" && PassMark(values) is { } mark && (flag == "1") != (s >= mark))
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.PassFlagAgainstPassMark, At(rowNumber, flagIndex), Layout.Columns[scoreIndex].Header, score,
                    ProgramName(), mark.ToString(CultureInfo.InvariantCulture), flag));
            }
        }

        // 補考 for a subject already passed (the research found these in submitted rosters).
        var makeup = ValueAt(values, _makeupExamScore);
        if (makeup is not null && makeup != RosterCellText.NoValue
            && (ValueAt(values, _passed) == "1" || ValueAt(values, _makeupCoursePassed) == "1" || ValueAt(values, _secondAttemptPassed) == "1"))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.MakeupAfterPass, At(rowNumber, _makeupExamScore), makeup));
        }

        // A range that ends before it starts (幹部, 借讀, 多元表現 periods).
        if (ValueAt(values, _startDate) is { } start && ValueAt(values, _endDate) is { } end
            && RosterCellText.TryDate(start, out var from) && RosterCellText.TryDate(end, out var until) && until < from)
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.DateRangeInverted, At(rowNumber, _endDate), Layout.Columns[_endDate].Header,
                until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Layout.Columns[_startDate].Header, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        // 實際修課學期 inside the roster's school year (and its term, for a per-semester roster).
        if (ValueAt(values, _actualTerm) is { } actual && SchoolTerm.TryParse(actual, out var taken)
            && (taken.Year != Cover.Year || (Cover.Term != Term.WholeYear && taken.Term != Cover.Term)))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.TermOutsideBook, At(rowNumber, _actualTerm), Layout.Columns[_actualTerm].Header, actual,
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

        foreach (var (linkIndex, md5Index) in _fileReferences)
        {
            var link = ValueAt(values, linkIndex);
            if (link is null || link.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            if (!PackageFiles.TryGetValue(link, out var file))
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.RowFileMissing, At(rowNumber, linkIndex), Layout.Columns[linkIndex].Header, link));
            }
            else if (ValueAt(values, md5Index) is { } md5 && !string.Equals(md5, file.Md5, StringComparison.OrdinalIgnoreCase))
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.RowFileMd5Mismatch, At(rowNumber, md5Index), Layout.Columns[md5Index].Header));
            }
        }
    }

    private void ValidateCourseRules(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        var courseIndex = _courseCode;
        if (courseIndex < 0 || !TryCourse(ValueAt(values, courseIndex), out var course))
        {
            return;
        }

        if (course.SchoolCode != Cover.School && Layout.Sheet.Book.Cadence == RosterCadence.Semester)
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseSchoolMismatch, At(rowNumber, courseIndex), course.SchoolCode.Value, Cover.School.Value));
        }

        if (_isGradeSheet)
        {
            var counting = ValueAt(values, _counting);
            if (!course.AllowsGradeSubmission)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.GroupActivityWithoutD, At(rowNumber, courseIndex), course.CourseCategory, course.SubjectAttribute));
            }
            else if (course.RequiredCreditCounting is { } required && counting is not null && counting != required)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.GroupActivityCreditCounting, At(rowNumber, _counting), counting));
            }
            else if (counting == CourseCode.GroupActivityCreditCounting && !course.IsGroupActivityOrFlexibleLearning)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.CreditCounting3RegularCourse, At(rowNumber, _counting), course.CourseCategory));
            }
        }

        // On-time students take grade-N courses of the cohort that entered N−1 years before the roster's year.
        if (_isSemesterGrades && RosterCellText.TryInteger(ValueAt(values, _gradeLevel) ?? string.Empty, out var grade) && grade is >= 1 and <= 4)
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
        var classType = ValueAt(values, _classType);
        if (classType is not null && Layout.Sheet.Book.Division == RosterDivision.Day
            && _continuingClassTypes is { } continuing && continuing.TryGet(classType, null, out var entry))
        {
            sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.ContinuingInDayBook, At(rowNumber, _classType), classType, entry.Name));
        }

        if (_specialStatus >= 0 && _indigenousNation >= 0)
        {
            var isIndigenous = ListContains(ValueAt(values, _specialStatus), "1");
            var hasNation = ValueAt(values, _indigenousNation) is not null;
            if (isIndigenous && !hasNation)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.IndigenousInconsistent, At(rowNumber, _specialStatus), "特殊身分別含 1（原住民生）但未填原住民族別", "special status includes 1 (indigenous) but no nation is given"));
            }
            else if (!isIndigenous && hasNation)
            {
                sink.Add(DiagnosticCatalog.Create(DiagnosticCodes.IndigenousInconsistent, At(rowNumber, _specialStatus), "填了原住民族別但特殊身分別不含 1", "an indigenous nation is given but the special status lacks 1"));
            }
        }
    }

    // Whether one comma-separated item, trimmed, is <paramref name="code"/> (what Split(',') and Trim() would find).
    private static bool ListContains(string? list, string code)
    {
        foreach (var range in (list ?? string.Empty).AsSpan().Split(','))
        {
            if ((list ?? string.Empty).AsSpan()[range].Trim().SequenceEqual(code))
            {
                return true;
            }
        }

        return false;
    }

    private void ValidateDuplicate(IReadOnlyList<string?> values, int rowNumber, ErrorCountingSink sink)
    {
        if (_keyIndexes.Length == 0)
        {
            return;
        }

        // A 64-bit FNV-1a hash of the key keeps memory at a few bytes a row; a false match needs ~2^32 rows.
        // The key is upper-cased into a stack buffer (the same invariant mapping as string.ToUpperInvariant).
        Span<char> buffer = stackalloc char[128];
        var hash = 14695981039346656037UL;
        foreach (var index in _keyIndexes)
        {
            var text = (values[index] ?? string.Empty).AsSpan().Trim();
            var upper = text.Length <= buffer.Length ? buffer[..text.Length] : new char[text.Length];
            text.ToUpperInvariant(upper);
            foreach (var c in upper)
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

    // What the row rules ask of a course code, worked out once per distinct code (each CourseCode property parses
    // its segment again).
    private sealed class CourseFacts(CourseCode code)
    {
        public SchoolCode SchoolCode { get; } = code.SchoolCode;

        public SchoolYear CohortYear { get; } = code.CohortYear;

        public string CourseCategory { get; } = code.CourseCategory;

        public string SubjectAttribute { get; } = code.SubjectAttribute;

        public bool AllowsGradeSubmission { get; } = code.AllowsGradeSubmission;

        public string? RequiredCreditCounting { get; } = code.RequiredCreditCounting;

        public string CourseType { get; } = code.CourseType;

        public bool IsGroupActivityOrFlexibleLearning { get; } = code.IsGroupActivityOrFlexibleLearning;
    }

    private sealed class ErrorCountingSink
    {
        private ICollection<Diagnostic>? _inner;

        public int Errors { get; private set; }

        public ErrorCountingSink Reset(ICollection<Diagnostic>? inner)
        {
            _inner = inner;
            Errors = 0;
            return this;
        }

        public void Add(Diagnostic diagnostic)
        {
            if (diagnostic.IsError)
            {
                Errors++;
            }

            _inner!.Add(diagnostic);
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

/// <summary>Helpers for comma-separated code lists such as 特殊身分別 (<c>1,4,24</c>).</summary>
public static class RosterCodeList
{
    /// <summary>
    /// Normalises a code list: trims items, drops empty items and duplicates, and sorts (numerically when every
    /// item is a number), e.g. <c>4,1,,1</c> → <c>1,4</c>.
    /// </summary>
    /// <param name="value">The list as written.</param>
    /// <returns>The normalised list.</returns>
    public static string Normalise(string? value)
    {
        var items = (value ?? string.Empty).Split(',').Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var numeric = items.TrueForAll(i => int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var sorted = numeric
            ? items.OrderBy(i => int.Parse(i, CultureInfo.InvariantCulture))
            : items.Order(StringComparer.Ordinal);
        return string.Join(',', sorted);
    }
}
