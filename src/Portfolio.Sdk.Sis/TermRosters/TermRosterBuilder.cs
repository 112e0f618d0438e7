using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.TermRosters;

/// <summary>What writing one roster from the SIS did.</summary>
/// <param name="Book">The roster book.</param>
/// <param name="RowCounts">Rows written, by sheet id.</param>
/// <param name="RowsLeftOut">SIS rows that could not be mapped or failed validation, and were left out of the roster.</param>
/// <param name="Diagnostics">Why, row by row (SIS rows located by their source row, roster rows by sheet and row).</param>
public sealed record TermRosterResult(RosterBook Book, IReadOnlyDictionary<string, int> RowCounts, int RowsLeftOut, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets the rows written in all sheets.</summary>
    public int Rows => RowCounts.Values.Sum();
}

/// <summary>
/// Builds a term's semester rosters (學生資料名冊, 學生成績名冊 4.2, 校內幹部經歷名冊) straight from a SIS: rows stream from
/// the <see cref="SisReader"/> into the streaming workbook writer, each validated as it is written; a row that fails is
/// left out with its diagnostics, so the roster that leaves the school is clean and nothing valid is dropped. Memory
/// holds one entry per student (the 身分證號 and 出生日期 that grade and cadre rows are keyed by), never the grades.
/// </summary>
public sealed class TermRosterBuilder
{
    private readonly SisReader _reader;
    private readonly RosterCatalogue _catalogue;
    private readonly CodeTableCatalog _codes;

    /// <summary>Initializes a builder.</summary>
    /// <param name="reader">The SIS.</param>
    /// <param name="catalogue">The roster catalogue; the default when <see langword="null"/>.</param>
    /// <param name="codes">The code tables; the default when <see langword="null"/>.</param>
    public TermRosterBuilder(SisReader reader, RosterCatalogue? catalogue = null, CodeTableCatalog? codes = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _catalogue = catalogue ?? RosterCatalogue.Default;
        _codes = codes ?? CodeTableCatalog.Default;
    }

    /// <summary>
    /// Gets the 部別代碼 written for students whose SIS row has none (many SIS keep the division per school, not
    /// per student). The code list's meanings are not published (research §3.2, [U]); <see langword="null"/> leaves
    /// the column empty, which the validator reports.
    /// </summary>
    public string? DefaultDivision { get; init; }

    /// <summary>Writes the 學生資料名冊 (students enrolled in the term, with their class and seat).</summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written.</returns>
    public async Task<TermRosterResult> WriteStudentDataAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default)
    {
        using var activity = StartBuild("student");
        var diagnostics = new List<Diagnostic>();
        var places = new Dictionary<string, StudentTermRecord>(StringComparer.Ordinal);
        await foreach (var row in _reader.ReadStudentTermsAsync(term, cancellationToken).ConfigureAwait(false))
        {
            diagnostics.AddRange(row.Diagnostics);
            if (row.Record is { } record)
            {
                places[record.StudentNumber] = record;
            }
        }

        return await WriteAsync(output, "student", StudentDataRow.Sheet, school, term, diagnostics, async (sheet, validator, leftOut) =>
        {
            await foreach (var row in _reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
            {
                diagnostics.AddRange(row.Diagnostics);
                if (row.Record is not { } s)
                {
                    leftOut(true);
                    continue;
                }

                if (!places.TryGetValue(s.StudentNumber, out var place))
                {
                    continue; // not enrolled this term
                }

                Write(sheet, validator, diagnostics, leftOut, new StudentDataRow
                {
                    NationalId = s.NationalId,
                    BirthDate = s.BirthDate,
                    Name = s.Name,
                    Gender = s.Gender ?? string.Empty,
                    Group = s.Group ?? string.Empty,
                    Department = s.Department ?? string.Empty,
                    Division = s.Division ?? DefaultDivision ?? string.Empty,
                    ClassType = s.ClassType ?? string.Empty,
                    GradeLevel = place.GradeLevel ?? 0,
                    ClassName = place.ClassName ?? string.Empty,
                    SeatNumber = place.SeatNumber ?? 0,
                    SpecialStatus = s.SpecialStatus,
                    IndigenousNation = s.IndigenousNation,
                    AdmissionMethod = s.AdmissionMethod,
                    EnrollmentStatus = s.EnrollmentStatus,
                });
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the 學生成績名冊's 4.2 學期成績 sheet from the term's regular grades.</summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written.</returns>
    public async Task<TermRosterResult> WriteGradesAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default)
    {
        using var activity = StartBuild("grades");
        var diagnostics = new List<Diagnostic>();
        var students = await StudentKeysAsync(diagnostics, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(output, "grades", SemesterGradesRow.Sheet, school, term, diagnostics, async (sheet, validator, leftOut) =>
        {
            await foreach (var row in _reader.ReadGradesAsync(term, cancellationToken).ConfigureAwait(false))
            {
                diagnostics.AddRange(row.Diagnostics);
                if (row.Record is not { } g || !students.TryGetValue(g.StudentNumber, out var student))
                {
                    leftOut(true);
                    continue;
                }

                if (g.Kind != GradeKind.Regular)
                {
                    continue; // 補修, 轉學, 重修 and 重讀 grades belong to their own sheets
                }

                Write(sheet, validator, diagnostics, leftOut, new SemesterGradesRow
                {
                    NationalId = student.Id,
                    BirthDate = student.BirthDate,
                    CourseCode = g.CourseCode,
                    SubjectName = g.SubjectName ?? string.Empty,
                    GradeLevel = g.GradeLevel ?? 0,
                    Credits = g.Credits ?? 0,
                    Score = g.Score,
                    Passed = g.Passed ?? "-1",
                    MakeupExamScore = g.MakeupExamScore,
                    MakeupExamPassed = g.MakeupExamPassed ?? "-1",
                    CreditCounting = g.CreditCounting ?? "1",
                });
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the 校內幹部經歷名冊 from the term's cadre posts.</summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written.</returns>
    public async Task<TermRosterResult> WriteCadresAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default)
    {
        using var activity = StartBuild("cadre");
        var diagnostics = new List<Diagnostic>();
        var students = await StudentKeysAsync(diagnostics, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(output, "cadre", CadreRecordsRow.Sheet, school, term, diagnostics, async (sheet, validator, leftOut) =>
        {
            await foreach (var row in _reader.ReadCadresAsync(term, cancellationToken).ConfigureAwait(false))
            {
                diagnostics.AddRange(row.Diagnostics);
                if (row.Record is not { } c || !students.TryGetValue(c.StudentNumber, out var student))
                {
                    leftOut(true);
                    continue;
                }

                Write(sheet, validator, diagnostics, leftOut, new CadreRecordsRow
                {
                    NationalId = student.Id,
                    BirthDate = student.BirthDate,
                    UnitName = c.UnitName,
                    Position = c.Position,
                    StartDate = c.StartDate ?? term.Year.StartDate,
                    EndDate = c.EndDate,
                    CadreLevel = c.CadreLevel ?? string.Empty,
                });
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    // The build's activity covers the SIS reads it makes (student keys first), so they nest under it.
    private static System.Diagnostics.Activity? StartBuild(string bookId) =>
        SisTelemetry.Source.StartActivity("sis.roster.build", System.Diagnostics.ActivityKind.Internal, default(System.Diagnostics.ActivityContext),
            [new KeyValuePair<string, object?>(PortfolioTelemetry.RosterBookTag, bookId)]);

    private static void Write(RosterSheetWriter sheet, RosterRowValidator validator, List<Diagnostic> diagnostics, Action<bool> leftOut, IRosterRow row)
    {
        if (validator.Validate(row, sheet.RowCount + 2, diagnostics))
        {
            sheet.WriteRow(row);
        }
        else
        {
            leftOut(false);
        }
    }

    private async Task<Dictionary<string, (Identity.NationalId Id, DateOnly BirthDate)>> StudentKeysAsync(List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var students = new Dictionary<string, (Identity.NationalId, DateOnly)>(StringComparer.Ordinal);
        await foreach (var row in _reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Record is { } s)
            {
                students[s.StudentNumber] = (s.NationalId, s.BirthDate);
            }
        }

        return students;
    }

    private async Task<TermRosterResult> WriteAsync(Stream output, string bookId, string sheetId, SchoolCode school, SchoolTerm term, List<Diagnostic> diagnostics,
        Func<RosterSheetWriter, RosterRowValidator, Action<bool>, Task> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var bookTag = new KeyValuePair<string, object?>(PortfolioTelemetry.RosterBookTag, bookId);
        var activity = System.Diagnostics.Activity.Current is { OperationName: "sis.roster.build", Source.Name: SisTelemetry.Name } current ? current : null;
        var result = await WriteCoreAsync(output, bookId, sheetId, school, term, diagnostics, rows).ConfigureAwait(false);
        SisTelemetry.RosterBuilds.Add(1, bookTag);
        SisTelemetry.RosterRows.Add(result.Rows, bookTag, new(PortfolioTelemetry.OutcomeTag, "written"));
        SisTelemetry.RosterRows.Add(result.RowsLeftOut, bookTag, new(PortfolioTelemetry.OutcomeTag, "left_out"));
        PortfolioTelemetry.RecordDiagnostics(SisTelemetry.Diagnostics, result.Diagnostics, bookTag);
        activity?.SetTag("portfolio.roster.row_count", result.Rows);
        activity?.SetTag("portfolio.roster.rows_left_out", result.RowsLeftOut);
        activity?.SetTag("portfolio.diagnostic.count", result.Diagnostics.Count);
        return result;
    }

    private async Task<TermRosterResult> WriteCoreAsync(Stream output, string bookId, string sheetId, SchoolCode school, SchoolTerm term, List<Diagnostic> diagnostics,
        Func<RosterSheetWriter, RosterRowValidator, Action<bool>, Task> rows)
    {
        var book = _catalogue[bookId];
        var cover = RosterCover.For(book, school, term);
        var leftOut = 0;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var writer = RosterWorkbookWriter.Create(output, book, cover))
        {
            using var sheet = writer.BeginSheet(sheetId);
            var validator = new RosterRowValidator(sheet.Layout, cover, _codes, book.Name);
            await rows(sheet, validator, _ => leftOut++).ConfigureAwait(false);
            counts[sheetId] = sheet.RowCount;
        }

        return new TermRosterResult(book, counts, leftOut, diagnostics);
    }
}
