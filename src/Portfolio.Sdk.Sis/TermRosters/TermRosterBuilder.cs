using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.TermRosters;

/// <summary>What writing one roster from the SIS did.</summary>
/// <param name="Book">The roster book.</param>
/// <param name="RowCounts">Rows written, by sheet id.</param>
/// <param name="Account">Every SIS row the roster read, and what became of it.</param>
/// <param name="Diagnostics">Why, row by row: rows left out are located at their SIS row (source, row ordinal, column),
/// rows written with warnings at their roster row.</param>
public sealed record TermRosterResult(RosterBook Book, IReadOnlyDictionary<string, int> RowCounts, SisRowAccount Account, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets the rows written in all sheets.</summary>
    public int Rows => RowCounts.Values.Sum();

    /// <summary>Gets the SIS rows left out of the roster, each with at least one error diagnostic of its own.</summary>
    public int RowsLeftOut => Account.LeftOut;
}

/// <summary>Why a SIS row was left out of a roster.</summary>
public enum SisRowLeftOutCause
{
    /// <summary>The SIS row itself could not be read (a missing or invalid value the profile requires).</summary>
    Unreadable = 0,

    /// <summary>The row's 學號 is not in the basic data (學籍資料).</summary>
    StudentUnknown,

    /// <summary>The row's student is in the basic data, but that student's row failed.</summary>
    StudentFailed,

    /// <summary>A value the roster requires is NULL in the SIS; it is never replaced by a default.</summary>
    RequiredValueNull,

    /// <summary>The row was read, but failed the roster's row checks.</summary>
    FailedValidation,

    /// <summary>The row's kind has no sheet for its student: a 進修部 student's 補修, 重修 or 重讀 grade (the 進修部 book has
    /// none), or a day student's 進修部 補考 row (kind makeupExam).</summary>
    NoSheetForKind,
}

/// <summary>
/// The account of one roster build (每列皆有交代): <see cref="Read"/> = <see cref="Written"/> + <see cref="LeftOut"/> +
/// the rows that belong to another book (<see cref="ForOtherBooks"/>, e.g. a 重修 grade read while building the 4.x
/// grades book, or a 進修部 student's grade in a day book). Every row left out has its own error diagnostic.
/// </summary>
public sealed record SisRowAccount
{
    /// <summary>Gets the SIS source the rows came from (<c>sis:grades</c>).</summary>
    public required string Source { get; init; }

    /// <summary>Gets the SIS rows read.</summary>
    public required int Read { get; init; }

    /// <summary>Gets the rows written to the roster.</summary>
    public required int Written { get; init; }

    /// <summary>Gets the rows left out, by cause.</summary>
    public required IReadOnlyDictionary<SisRowLeftOutCause, int> LeftOutByCause { get; init; }

    /// <summary>Gets the rows that belong to other books, by book id; they are neither written nor left out here.</summary>
    public required IReadOnlyDictionary<string, int> ForOtherBooks { get; init; }

    /// <summary>Gets the rows left out.</summary>
    public int LeftOut => LeftOutByCause.Values.Sum();

    /// <summary>Gets whether every row read is accounted for.</summary>
    public bool Balances => Read == Written + LeftOut + ForOtherBooks.Values.Sum();

    /// <inheritdoc />
    public override string ToString() =>
        $"{Source}: {Read} read = {Written} written + {LeftOut} left out ({string.Join(", ", LeftOutByCause.Select(p => $"{p.Key} {p.Value}"))}) + {ForOtherBooks.Values.Sum()} for other books";
}

/// <summary>
/// Builds a term's semester rosters straight from a SIS: 學生資料名冊, 學生成績名冊 (4.2 學期成績, 4.3 補修成績,
/// 4.4 轉學轉科成績), 學生重修重讀成績名冊 (5.2 重修成績, 5.3 重讀成績), 校內幹部經歷名冊 and, for schools with a
/// 進修部, 進修部學生成績名冊 (6.2 學期成績, 6.3 補考成績, 6.4 轉學轉科成績). Rows stream from the
/// <see cref="SisReader"/> into the streaming workbook writer, each validated as it is written.
/// </summary>
/// <remarks>
/// <para>Every row is accounted for (<see cref="SisRowAccount"/>): a row that cannot be read, whose student is unknown
/// or failed, whose required value is NULL, or that fails the row checks is left out with its own error diagnostic,
/// located at its SIS row and naming the 學號 masked, never the 身分證號. NULL stays NULL: a missing 年級, 學分數, 座號 or
/// 起始日期 is reported at the SIS row, never written as 0 or as the start of the year.</para>
/// <para>Memory holds one entry per student (the keys that grade and cadre rows are looked up by) and the rows of the
/// smaller sheets of a book (補修, 轉學轉科, 重讀) until their sheet's turn; the bulk sheet's rows stream.</para>
/// <para>Grades of 進修部 students (班別 of the continuing-class-type table) go to the 進修部學生成績名冊
/// (<see cref="WriteContinuingGradesAsync"/>); the day books count them in <see cref="SisRowAccount.ForOtherBooks"/>, and
/// the 進修部 book counts the day students' grades there in turn.</para>
/// </remarks>
public sealed class TermRosterBuilder
{
    private const string ContinuingGradesBook = "continuing-grades";
    private static readonly string[] TermBooks = ["student", "cadre", "grades", "retake-grades", ContinuingGradesBook];
    private readonly SisReader _reader;
    private readonly RosterCatalogue _catalogue;
    private readonly CodeTableCatalog _codes;
    private readonly HashSet<string> _continuingClassTypes;

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
        _continuingClassTypes = _codes.TryGetTable("continuing-class-type", out var table)
            ? [.. table.Entries.Select(e => e.Code)]
            : [];
    }

    /// <summary>
    /// Gets the 部別代碼 written for students whose SIS row has none (many SIS keep the division per school, not
    /// per student). The code list's meanings are not published (research §3.2, [U]); <see langword="null"/> leaves
    /// the column empty, which the validator reports at each student's SIS row.
    /// </summary>
    public string? DefaultDivision { get; init; }

    /// <summary>
    /// Gets the policy whose pass marks (及格基準 by 學制: the course type, or 進修部 in the 進修部 book) each written
    /// pass flag is checked against; a contradiction is a warning (PF1115) at the roster row.
    /// </summary>
    /// <value>The default is <see cref="PortfolioPolicy.Default"/>.</value>
    public PortfolioPolicy Policy { get; init; } = PortfolioPolicy.Default;

    /// <summary>Writes the 學生資料名冊: one row per student placed in the term (學期編班), with class and seat.</summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written; the account counts the term's placement rows.</returns>
    public Task<TermRosterResult> WriteStudentDataAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default) =>
        WriteStudentDataAsync(output, school, term, students: null, cancellationToken);

    private async Task<TermRosterResult> WriteStudentDataAsync(Stream output, SchoolCode school, SchoolTerm term, Students? students, CancellationToken cancellationToken)
    {
        using var activity = StartBuild("student");
        var diagnostics = new List<Diagnostic>();
        students ??= await StudentsAsync(cancellationToken).ConfigureAwait(false);
        var build = new Build(this, SisRecordKind.StudentTerms, "學期編班", diagnostics, students);
        return await WriteAsync(output, "student", school, term, build, async (book, cover) =>
        {
            using var sheet = book.BeginSheet(StudentDataRow.Sheet);
            var validator = Validator(build, sheet, cover, book);
            await foreach (var row in _reader.ReadStudentTermsAsync(term, cancellationToken).ConfigureAwait(false))
            {
                // 進修部 students are in the same 學生資料名冊 (the catalogue has no separate one).
                if (build.Student(row, row.Record?.StudentNumber) is not { } student || row.Record is not { } place)
                {
                    continue;
                }

                var gradeLevel = build.Required(row, place.GradeLevel, "gradeLevel", "年級");
                var seat = build.Required(row, place.SeatNumber, "seatNumber", "座號");
                var className = build.Required(row, place.ClassName, "className", "班級名稱");
                if (build.LeftOutForNullRequired())
                {
                    continue;
                }

                var s = student.Record;
                build.Write(sheet, validator, row, new StudentDataRow
                {
                    NationalId = s.NationalId,
                    BirthDate = s.BirthDate,
                    Name = s.Name,
                    Gender = s.Gender ?? string.Empty,
                    Group = s.Group ?? string.Empty,
                    Department = s.Department ?? string.Empty,
                    Division = s.Division ?? DefaultDivision ?? string.Empty,
                    ClassType = s.ClassType ?? string.Empty,
                    GradeLevel = gradeLevel!.Value,
                    ClassName = className!,
                    SeatNumber = seat!.Value,
                    SpecialStatus = s.SpecialStatus,
                    IndigenousNation = s.IndigenousNation,
                    AdmissionMethod = s.AdmissionMethod,
                    EnrollmentStatus = s.EnrollmentStatus,
                });
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the 學生成績名冊: 4.2 學期成績 from the term's regular grades, 4.3 補修成績 and 4.4 轉學轉科成績 from
    /// the make-up and transfer grades, for day-division students.
    /// </summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written; the account counts every grade row of the term.</returns>
    public Task<TermRosterResult> WriteGradesAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default) =>
        WriteGradeBookAsync(output, GradeBookKind.Grades, school, term, cancellationToken);

    /// <summary>Writes the 學生重修重讀成績名冊: 5.2 重修成績 and 5.3 重讀成績, for day-division students.</summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written; the account counts every grade row of the term.</returns>
    public Task<TermRosterResult> WriteRetakeGradesAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default) =>
        WriteGradeBookAsync(output, GradeBookKind.Retake, school, term, cancellationToken);

    /// <summary>
    /// Writes the 進修部學生成績名冊 (6.x) for the 進修部 students (班別 of the continuing-class-type table): 6.2 學期成績
    /// from their regular grades (修課節數 from the <c>credits</c> field, 是否採計學時 from <c>creditCounting</c>,
    /// 學年學業成績 and 學年及格 from <c>yearScore</c> and <c>yearPassed</c>; a missing score or flag is 無, -1, as in
    /// the day books), 6.3 補考成績 from their rows of kind <see cref="GradeKind.MakeupExam"/> (both terms' 節數 from
    /// <c>credits</c> and <c>secondTermCredits</c>, the two 補考 from <c>makeupExamScore</c>/<c>makeupExamPassed</c> and
    /// <c>secondMakeupExamScore</c>/<c>secondMakeupExamPassed</c>) and 6.4 轉學轉科成績 from their transfer grades.
    /// </summary>
    /// <remarks>
    /// Grades of day students are counted for the day books (<see cref="SisRowAccount.ForOtherBooks"/>). A 進修部
    /// student's 補修, 重修 or 重讀 grade has no sheet in this book and is left out with PF2305
    /// (<see cref="SisRowLeftOutCause.NoSheetForKind"/>). A 補考成績 on a 進修部 regular grade has no 6.2 column: the
    /// row is written with the warning PF2306 at its SIS row, so the value is never dropped silently.
    /// </remarks>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written; the account counts every grade row of the term.</returns>
    public Task<TermRosterResult> WriteContinuingGradesAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default) =>
        WriteGradeBookAsync(output, GradeBookKind.Continuing, school, term, cancellationToken);

    /// <summary>Writes the 校內幹部經歷名冊 from the term's cadre posts.</summary>
    /// <param name="output">Where the workbook goes.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was written; the account counts every cadre row of the term.</returns>
    public Task<TermRosterResult> WriteCadresAsync(Stream output, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default) =>
        WriteCadresAsync(output, school, term, students: null, cancellationToken);

    private async Task<TermRosterResult> WriteCadresAsync(Stream output, SchoolCode school, SchoolTerm term, Students? students, CancellationToken cancellationToken)
    {
        using var activity = StartBuild("cadre");
        var diagnostics = new List<Diagnostic>();
        students ??= await StudentsAsync(cancellationToken).ConfigureAwait(false);
        var build = new Build(this, SisRecordKind.Cadres, "幹部", diagnostics, students);
        return await WriteAsync(output, "cadre", school, term, build, async (book, cover) =>
        {
            using var sheet = book.BeginSheet(CadreRecordsRow.Sheet);
            var validator = Validator(build, sheet, cover, book);
            await foreach (var row in _reader.ReadCadresAsync(term, cancellationToken).ConfigureAwait(false))
            {
                if (build.Student(row, row.Record?.StudentNumber) is not { } student || row.Record is not { } c)
                {
                    continue;
                }

                var start = build.Required(row, c.StartDate, "startDate", "起始日期");
                var level = build.Required(row, c.CadreLevel, "cadreLevel", "幹部等級");
                if (build.LeftOutForNullRequired())
                {
                    continue;
                }

                build.Write(sheet, validator, row, new CadreRecordsRow
                {
                    NationalId = student.Record.NationalId,
                    BirthDate = student.Record.BirthDate,
                    UnitName = c.UnitName,
                    Position = c.Position,
                    StartDate = start!.Value,
                    EndDate = c.EndDate,
                    CadreLevel = level!,
                });
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes every semester book this builder knows (學生資料, 校內幹部經歷, 學生成績, 學生重修重讀成績 and, when the
    /// term has grades of 進修部 students, 進修部學生成績), each to the stream <paramref name="open"/> gives for it.
    /// </summary>
    /// <param name="open">Opens the output of a book; the builder disposes it.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One result per book written, in that order.</returns>
    /// <remarks>The 進修部 book is written when the day books counted grade rows for it
    /// (<see cref="SisRowAccount.ForOtherBooks"/>), so a school without a 進修部 gets no empty 進修部 book, and a school
    /// with one never has those rows only counted.</remarks>
    public Task<IReadOnlyList<TermRosterResult>> WriteTermAsync(Func<RosterBook, Stream> open, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken = default) =>
        WriteTermAsync(open, school, term, books: null, cancellationToken);

    /// <summary>
    /// Writes the named semester books of a term (or every one, as <see cref="WriteTermAsync(Func{RosterBook, Stream}, SchoolCode, SchoolTerm, CancellationToken)"/>),
    /// each to the stream <paramref name="open"/> gives for it. The students are read once for all of them and the
    /// term's grades once for the grade books, which are written side by side; each book is the same, byte for byte,
    /// with the same account and diagnostics, as the one its own method writes.
    /// </summary>
    /// <param name="open">Opens the output of a book; the builder disposes it. It is called only for the books the result
    /// holds (the 進修部 book is opened with its first row, or at the end when a day book counted rows for it); the grade
    /// books are open at the same time.</param>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="books">The book ids (<c>student</c>, <c>cadre</c>, <c>grades</c>, <c>retake-grades</c>,
    /// <c>continuing-grades</c>); <see langword="null"/> for every book, the 進修部 one only when the day books counted
    /// grade rows for it. A 進修部 book named here is always written.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One result per book written, in the order student, cadre, grades, retake-grades, continuing-grades.</returns>
    /// <exception cref="ArgumentException">A book id is not one of the semester books above.</exception>
    public async Task<IReadOnlyList<TermRosterResult>> WriteTermAsync(Func<RosterBook, Stream> open, SchoolCode school, SchoolTerm term, IReadOnlyCollection<string>? books,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (books?.FirstOrDefault(b => !TermBooks.Contains(b, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not a semester book of the SIS (student, cadre, grades, retake-grades, continuing-grades).", nameof(books));
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool Wanted(string bookId) => books is null || books.Contains(bookId, StringComparer.Ordinal);

        // The students are read once for every book, and the term's grades once for the three grade books, which are
        // written side by side as the rows arrive (each book's account and diagnostics are those it has alone).
        var students = await StudentsAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<TermRosterResult>();
        foreach (var (bookId, write) in new (string, Func<Stream, Task<TermRosterResult>>)[]
        {
            ("student", s => WriteStudentDataAsync(s, school, term, students, cancellationToken)),
            ("cadre", s => WriteCadresAsync(s, school, term, students, cancellationToken)),
        })
        {
            if (!Wanted(bookId))
            {
                continue;
            }

            var stream = open(_catalogue[bookId]);
            await using (stream.ConfigureAwait(false))
            {
                results.Add(await write(stream).ConfigureAwait(false));
            }
        }

        var gradeBooks = new[] { GradeBookKind.Grades, GradeBookKind.Retake, GradeBookKind.Continuing }.Where(k => Wanted(GradeBookSink.BookId(k))).ToList();
        if (gradeBooks.Count == 0)
        {
            return results;
        }

        var sinks = new List<GradeBookSink>(3);
        try
        {
            // Each book's activity is a sibling under the caller's, as when the books are written one by one.
            var parent = System.Diagnostics.Activity.Current;
            foreach (var kind in gradeBooks)
            {
                var book = _catalogue[GradeBookSink.BookId(kind)];
                var activity = StartBuild(book.Id);
                System.Diagnostics.Activity.Current = parent;

                // The 進修部 book is opened with its first row, or at the end when a day book counted rows for it.
                var sink = new GradeBookSink(this, kind, school, term, students, () => open(book), ownsOutput: true, activity);
                sinks.Add(sink);
                if (kind != GradeBookKind.Continuing || books is not null)
                {
                    sink.Open();
                }
            }

            await foreach (var row in _reader.ReadGradesAsync(term, cancellationToken).ConfigureAwait(false))
            {
                foreach (var sink in sinks)
                {
                    sink.Accept(row);
                }
            }

            // A 進修部 book the caller named is always written; by default only when a day book counted grade rows for it.
            var forContinuing = books is not null || sinks.Any(s => s.Kind != GradeBookKind.Continuing && s.CountedForContinuing);
            foreach (var sink in sinks)
            {
                if (sink.Kind != GradeBookKind.Continuing || forContinuing)
                {
                    results.Add(await sink.CompleteAsync().ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (var sink in sinks)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }

        return results;
    }

    // The build's activity covers the SIS reads it makes (student keys first), so they nest under it.
    private static System.Diagnostics.Activity? StartBuild(string bookId) =>
        SisTelemetry.Source.StartActivity("sis.roster.build", System.Diagnostics.ActivityKind.Internal, default(System.Diagnostics.ActivityContext),
            [new KeyValuePair<string, object?>(PortfolioTelemetry.RosterBookTag, bookId)]);

    // One grade book alone: the students and the term's grades read for it.
    private async Task<TermRosterResult> WriteGradeBookAsync(Stream output, GradeBookKind kind, SchoolCode school, SchoolTerm term, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var activity = StartBuild(GradeBookSink.BookId(kind));
        Students students;
        try
        {
            students = await StudentsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }

        var sink = new GradeBookSink(this, kind, school, term, students, () => output, ownsOutput: false, activity);
        await using (sink.ConfigureAwait(false))
        {
            sink.Open();
            await foreach (var row in _reader.ReadGradesAsync(term, cancellationToken).ConfigureAwait(false))
            {
                sink.Accept(row);
            }

            return await sink.CompleteAsync().ConfigureAwait(false);
        }
    }

    // The roster row of a grade, or null when a value the roster requires is NULL in the SIS (reported at the row).
    private static IRosterRow? GradeRow(Build build, SisRow<GradeRecord> row, GradeRecord g, StudentRecord s)
    {
        var subject = build.Required(row, g.SubjectName, "subjectName", "科目名稱");
        var gradeLevel = build.Required(row, g.GradeLevel, "gradeLevel", "年級");
        var credits = build.Required(row, g.Credits, "credits", "學分數");
        var counting = g.Kind is GradeKind.Retake ? null : build.Required(row, g.CreditCounting, "creditCounting", "是否採計學分");
        var original = g.Kind is GradeKind.MakeupCourse or GradeKind.Transfer or GradeKind.Retake
            ? build.Required(row, g.OriginalTerm, "originalSchoolYear", g.Kind == GradeKind.Transfer ? "採計學年度" : "原修課學年度")
            : null;
        var method = g.Kind is GradeKind.MakeupCourse or GradeKind.Retake ? build.Required(row, g.Method, "method", g.Kind == GradeKind.Retake ? "重修方式" : "補修方式") : null;
        var studentType = g.Kind is GradeKind.Transfer ? build.Required(row, g.StudentType, "studentType", "學生類別") : null;
        var note = g.Kind is GradeKind.RepeatYear ? build.Required(row, g.RepeatNote, "repeatNote", "重讀註記") : null;
        if (build.LeftOutForNullRequired())
        {
            return null;
        }

        // 無 (-1) is the roster's own code for "no pass flag", as a missing score is "no score".
        var passed = g.Passed ?? "-1";
        var makeupPassed = g.MakeupExamPassed ?? "-1";
        return g.Kind switch
        {
            GradeKind.MakeupCourse => new MakeupCourseGradesRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, DueSchoolYear = original!.Value.Year, DueTerm = original.Value.Term,
                CourseCode = g.CourseCode, SubjectName = subject!, GradeLevel = gradeLevel!.Value, Credits = credits!.Value,
                MakeupCourseScore = g.Score, MakeupCoursePassed = passed, MakeupExamScore = g.MakeupExamScore, MakeupExamPassed = makeupPassed,
                MakeupMethod = method!, CreditCounting = counting!,
            },
            GradeKind.Transfer => new TransferGradesRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, MappedSchoolYear = original!.Value.Year, MappedTerm = original.Value.Term,
                CourseCode = g.CourseCode, SubjectName = subject!, MappedGradeLevel = gradeLevel!.Value, Credits = credits!.Value,
                StudentType = studentType!, CreditedScore = g.Score, Passed = passed, CreditCounting = counting!,
            },
            GradeKind.Retake => new RetakeRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, OriginalSchoolYear = original!.Value.Year, OriginalTerm = original.Value.Term,
                OriginalCourseCode = g.OriginalCourseCode ?? g.CourseCode, OriginalSubjectName = subject!, OriginalGradeLevel = gradeLevel!.Value,
                OriginalCredits = credits!.Value, RetakeMethod = method!, RetakeScore = g.Score, RetakePassed = passed,
            },
            GradeKind.RepeatYear => new RepeatYearRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, CourseCode = g.CourseCode, SubjectName = subject!, GradeLevel = gradeLevel!.Value,
                Credits = credits!.Value, MakeupExamScore = g.MakeupExamScore, MakeupExamPassed = makeupPassed, RepeatScore = g.Score, Passed = passed,
                RepeatNote = note!, CreditCounting = counting!,
            },
            _ => new SemesterGradesRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, CourseCode = g.CourseCode, SubjectName = subject!, GradeLevel = gradeLevel!.Value,
                Credits = credits!.Value, Score = g.Score, Passed = passed, MakeupExamScore = g.MakeupExamScore, MakeupExamPassed = makeupPassed,
                CreditCounting = counting!,
            },
        };
    }

    // The 6.2 or 6.4 row of a 進修部 grade, or null when a value the roster requires is NULL in the SIS.
    private static IRosterRow? ContinuingGradeRow(Build build, SisRow<GradeRecord> row, GradeRecord g, StudentRecord s)
    {
        var subject = build.Required(row, g.SubjectName, "subjectName", "科目名稱");
        var gradeLevel = build.Required(row, g.GradeLevel, "gradeLevel", g.Kind == GradeKind.Transfer ? "對應年級" : "開課年級");
        var periods = build.Required(row, g.Credits, "credits", "修課節數");
        var counting = build.Required(row, g.CreditCounting, "creditCounting", "是否採計學時");
        if (g.Kind == GradeKind.MakeupExam)
        {
            var secondPeriods = build.Required(row, g.SecondTermCredits, "secondTermCredits", "第二學期開設修課節數");
            var examSubject = build.Required(row, g.SubjectName, "subjectName", "科目名稱");
            var examGrade = build.Required(row, g.GradeLevel, "gradeLevel", "開課年級");
            var firstPeriods = build.Required(row, g.Credits, "credits", "第一學期開設修課節數");
            if (build.LeftOutForNullRequired())
            {
                return null;
            }

            return new ContinuingMakeupExamsRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, CourseCode = g.CourseCode, SubjectName = examSubject!, GradeLevel = examGrade!.Value,
                FirstTermPeriods = firstPeriods!.Value, SecondTermPeriods = secondPeriods!.Value,
                FirstMakeupScore = g.MakeupExamScore, FirstMakeupPassed = g.MakeupExamPassed ?? "-1",
                SecondMakeupScore = g.SecondMakeupExamScore, SecondMakeupPassed = g.SecondMakeupExamPassed ?? "-1",
            };
        }

        var mapped = g.Kind == GradeKind.Transfer ? build.Required(row, g.OriginalTerm, "originalSchoolYear", "對應學年度") : null;
        var studentType = g.Kind == GradeKind.Transfer ? build.Required(row, g.StudentType, "studentType", "身分別") : null;
        if (build.LeftOutForNullRequired())
        {
            return null;
        }

        return g.Kind == GradeKind.Transfer
            ? new ContinuingTransferGradesRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, MappedSchoolYear = mapped!.Value.Year, MappedTerm = mapped.Value.Term,
                CourseCode = g.CourseCode, SubjectName = subject!, MappedGradeLevel = gradeLevel!.Value, Periods = periods!.Value,
                StudentType = studentType!, CreditedScore = g.Score, Passed = g.Passed ?? "-1", HourCounting = counting!,
            }
            : new ContinuingSemesterGradesRow
            {
                NationalId = s.NationalId, BirthDate = s.BirthDate, CourseCode = g.CourseCode, SubjectName = subject!, GradeLevel = gradeLevel!.Value,
                Periods = periods!.Value, Score = g.Score, Passed = g.Passed ?? "-1", YearScore = g.YearScore, YearPassed = g.YearPassed ?? "-1",
                HourCounting = counting!,
            };
    }

    private RosterRowValidator Validator(Build build, RosterSheetWriter sheet, RosterCover cover, RosterWorkbookWriter book)
    {
        build.SheetCounts[sheet.Layout.Sheet.Id] = 0;
        return new(sheet.Layout, cover, _codes, book.Book.Name) { Policy = Policy };
    }

    // Every student of the basic data: the good rows by 學號, and the failed ones with their SIS row, so that rows
    // keyed by a failed student say so instead of "unknown student".
    private async Task<Students> StudentsAsync(CancellationToken cancellationToken)
    {
        var students = new Students();
        await foreach (var row in _reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Record is { } s)
            {
                students.Good[s.StudentNumber] = (s, s.ClassType is { } type && _continuingClassTypes.Contains(type));
            }
            else if (row.StudentNumber is { } number)
            {
                var causes = string.Join(", ", row.Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct(StringComparer.Ordinal));
                students.Failed.TryAdd(number, (row.SourceRow, causes.Length > 0 ? causes : DiagnosticCodes.SisRowUnreadable));
            }
        }

        // A 學號 with one good and one failed row is known: the good row is used.
        foreach (var number in students.Good.Keys)
        {
            students.Failed.Remove(number);
        }

        return students;
    }

    private async Task<TermRosterResult> WriteAsync(Stream output, string bookId, SchoolCode school, SchoolTerm term, Build build,
        Func<RosterWorkbookWriter, RosterCover, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var activity = System.Diagnostics.Activity.Current is { OperationName: "sis.roster.build", Source.Name: SisTelemetry.Name } current ? current : null;
        var book = _catalogue[bookId];
        var cover = RosterCover.For(book, school, term);
        using (var writer = RosterWorkbookWriter.Create(output, book, cover))
        {
            await write(writer, cover).ConfigureAwait(false);
        }

        return Finish(book, build, activity);
    }

    // The result of a book, counted in the telemetry and set on its build activity.
    private static TermRosterResult Finish(RosterBook book, Build build, System.Diagnostics.Activity? activity)
    {
        var bookTag = new KeyValuePair<string, object?>(PortfolioTelemetry.RosterBookTag, book.Id);
        var result = new TermRosterResult(book, build.SheetCounts, build.Account(), build.Diagnostics);
        SisTelemetry.RosterBuilds.Add(1, bookTag);
        SisTelemetry.RosterRows.Add(result.Rows, bookTag, new(PortfolioTelemetry.OutcomeTag, "written"));
        SisTelemetry.RosterRows.Add(result.RowsLeftOut, bookTag, new(PortfolioTelemetry.OutcomeTag, "left_out"));
        PortfolioTelemetry.RecordDiagnostics(SisTelemetry.Diagnostics, result.Diagnostics, bookTag);
        activity?.SetTag("portfolio.roster.row_count", result.Rows);
        activity?.SetTag("portfolio.roster.rows_left_out", result.RowsLeftOut);
        activity?.SetTag("portfolio.diagnostic.count", result.Diagnostics.Count);
        return result;
    }

    /// <summary>The three grade books (學生成績, 學生重修重讀成績, 進修部學生成績).</summary>
    private enum GradeBookKind
    {
        Grades,
        Retake,
        Continuing,
    }

    /// <summary>
    /// One grade book fed the term's grade rows one by one: every row is counted in its account (written, left out with
    /// its cause, or for another book), the book's streamed sheet is written as rows arrive and its other sheets
    /// (small: 補修, 轉學, 重讀, 補考) at the end.
    /// </summary>
    private sealed class GradeBookSink : IAsyncDisposable
    {
        private readonly TermRosterBuilder _owner;
        private readonly SchoolCode _school;
        private readonly SchoolTerm _term;
        private readonly Func<Stream> _open;
        private readonly bool _ownsOutput;
        private readonly System.Diagnostics.Activity? _activity;
        private readonly Build _build;
        private readonly RosterBook _book;
        private readonly GradeKind _streamed;
        private readonly Dictionary<GradeKind, (string Sheet, List<(SisRow<GradeRecord> Row, IRosterRow Roster)> Rows)> _later;
        private Stream? _output;
        private RosterWorkbookWriter? _writer;
        private RosterCover? _cover;
        private RosterSheetWriter? _sheet;
        private RosterRowValidator? _validator;

        public GradeBookSink(TermRosterBuilder owner, GradeBookKind kind, SchoolCode school, SchoolTerm term, Students students, Func<Stream> open, bool ownsOutput,
            System.Diagnostics.Activity? activity)
        {
            _owner = owner;
            Kind = kind;
            _school = school;
            _term = term;
            _open = open;
            _ownsOutput = ownsOutput;
            _activity = activity;
            _build = new Build(owner, SisRecordKind.Grades, "成績", [], students);
            _book = owner._catalogue[BookId(kind)];
            (_streamed, _later) = kind switch
            {
                GradeBookKind.Grades => (GradeKind.Regular, new Dictionary<GradeKind, (string, List<(SisRow<GradeRecord>, IRosterRow)>)>
                {
                    [GradeKind.MakeupCourse] = (MakeupCourseGradesRow.Sheet, []),
                    [GradeKind.Transfer] = (TransferGradesRow.Sheet, []),
                }),
                GradeBookKind.Retake => (GradeKind.Retake, new() { [GradeKind.RepeatYear] = (RepeatYearRow.Sheet, []) }),
                _ => (GradeKind.Regular, new()
                {
                    [GradeKind.MakeupExam] = (ContinuingMakeupExamsRow.Sheet, []),
                    [GradeKind.Transfer] = (ContinuingTransferGradesRow.Sheet, []),
                }),
            };
        }

        public GradeBookKind Kind { get; }

        // Whether this (day) book counted a row of a 進修部 student, which the 進修部 book then writes or leaves out.
        public bool CountedForContinuing => _build.CountsForOtherBook(ContinuingGradesBook);

        public static string BookId(GradeBookKind kind) => kind switch
        {
            GradeBookKind.Grades => "grades",
            GradeBookKind.Retake => "retake-grades",
            _ => ContinuingGradesBook,
        };

        // Opens the book's output and its streamed sheet (4.2, 5.2 or 6.2).
        public void Open()
        {
            if (_writer is not null)
            {
                return;
            }

            _output = _open();
            _cover = RosterCover.For(_book, _school, _term);
            _writer = RosterWorkbookWriter.Create(_output, _book, _cover);
            var sheetId = Kind switch
            {
                GradeBookKind.Grades => SemesterGradesRow.Sheet,
                GradeBookKind.Retake => RetakeRow.Sheet,
                _ => ContinuingSemesterGradesRow.Sheet,
            };
            _sheet = _writer.BeginSheet(sheetId);
            _validator = _owner.Validator(_build, _sheet, _cover, _writer);
        }

        public void Accept(SisRow<GradeRecord> row)
        {
            if (Kind == GradeBookKind.Continuing)
            {
                AcceptContinuing(row);
            }
            else
            {
                AcceptDay(row);
            }
        }

        // Writes the buffered sheets, closes the workbook and gives the book's result.
        public async Task<TermRosterResult> CompleteAsync()
        {
            Open();
            _sheet!.Dispose();
            _sheet = null;
            foreach (var (sheetId, rows) in _later.Values)
            {
                using var sheet = _writer!.BeginSheet(sheetId);
                var validator = _owner.Validator(_build, sheet, _cover!, _writer);
                foreach (var (row, rosterRow) in rows)
                {
                    _build.Write(sheet, validator, row, rosterRow);
                }
            }

            _writer!.Dispose();
            _writer = null;
            await CloseOutputAsync().ConfigureAwait(false);
            return Finish(_book, _build, _activity);
        }

        public async ValueTask DisposeAsync()
        {
            _sheet?.Dispose();
            _writer?.Dispose();
            await CloseOutputAsync().ConfigureAwait(false);
            _activity?.Dispose();
        }

        private async ValueTask CloseOutputAsync()
        {
            if (_ownsOutput && _output is not null)
            {
                await _output.DisposeAsync().ConfigureAwait(false);
            }

            _output = null;
        }

        private void AcceptDay(SisRow<GradeRecord> row)
        {
            if (row.Record is { } record && record.Kind != _streamed && !_later.ContainsKey(record.Kind)
                && !(record.Kind == GradeKind.MakeupExam && _streamed == GradeKind.Regular))
            {
                _build.ForOtherBook(record.Kind is GradeKind.Retake or GradeKind.RepeatYear ? "retake-grades" : "grades");
                return;
            }

            if (_build.Student(row, row.Record?.StudentNumber) is not { } student || row.Record is not { } g)
            {
                return;
            }

            if (Build.ForContinuing(student))
            {
                _build.ForOtherBook(ContinuingGradesBook, read: true);
                return;
            }

            if (g.Kind == GradeKind.MakeupExam)
            {
                _build.NoSheetForKind(row, g, DiagnosticCodes.SisMakeupExamRowOfDayStudent);   // a day student's 補考 goes on the 4.2 row
                return;
            }

            if (GradeRow(_build, row, g, student.Record) is not { } rosterRow)
            {
                return;
            }

            if (g.Kind == _streamed)
            {
                _build.Write(_sheet!, _validator!, row, rosterRow);
            }
            else
            {
                _later[g.Kind].Rows.Add((row, rosterRow));
            }
        }

        private void AcceptContinuing(SisRow<GradeRecord> row)
        {
            if (_build.Student(row, row.Record?.StudentNumber) is not { } student || row.Record is not { } g)
            {
                return;
            }

            if (!Build.ForContinuing(student))
            {
                _build.ForOtherBook(g.Kind is GradeKind.Retake or GradeKind.RepeatYear ? "retake-grades" : "grades", read: true);
                return;
            }

            if (g.Kind is not (GradeKind.Regular or GradeKind.Transfer or GradeKind.MakeupExam))
            {
                _build.NoSheetForKind(row, g);
                return;
            }

            if (ContinuingGradeRow(_build, row, g, student.Record) is not { } rosterRow)
            {
                return;
            }

            if (g.Kind == GradeKind.Regular)
            {
                if (g.MakeupExamScore is { } makeup)
                {
                    _build.Warn(row, "makeupExamScore", DiagnosticCodes.SisContinuingMakeupExamNotWritten, makeup.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                Open();
                _build.Write(_sheet!, _validator!, row, rosterRow);
            }
            else
            {
                _later[g.Kind].Rows.Add((row, rosterRow));
            }
        }
    }

    private sealed class Students
    {
        public Dictionary<string, (StudentRecord Record, bool Continuing)> Good { get; } = new(StringComparer.Ordinal);

        // The failed row of a 學號, with the codes of its own errors (PF0106 …): the cause a dependent row names.
        public Dictionary<string, (long Row, string Causes)> Failed { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The running account of one build, and the checks that feed it.</summary>
    private sealed class Build(TermRosterBuilder owner, SisRecordKind kind, string kindName, List<Diagnostic> diagnostics, Students students)
    {
        private readonly string _source = "sis:" + SisProfile.KindName(kind);
        private readonly Dictionary<SisRowLeftOutCause, int> _leftOut = [];
        private readonly Dictionary<string, int> _otherBooks = new(StringComparer.Ordinal);
        private readonly List<Diagnostic> _rowDiagnostics = [];
        private int _read;
        private int _written;

        public List<Diagnostic> Diagnostics => diagnostics;

        public Dictionary<string, int> SheetCounts { get; } = new(StringComparer.Ordinal);

        // Set by Required when a value of the current row was NULL; LeftOutForNullRequired settles it for the row.
        private bool _missing;

        // After a row's Required checks: true (and the row counted as left out) when any of them found a NULL.
        public bool LeftOutForNullRequired()
        {
            var missing = _missing;
            _missing = false;
            if (missing)
            {
                LeftOut(SisRowLeftOutCause.RequiredValueNull);
            }

            return missing;
        }

        public static bool ForContinuing((StudentRecord Record, bool Continuing) student) => student.Continuing;

        // A 進修部 grade of a kind the 進修部 book has no sheet for: left out at its SIS row with its own diagnostic.
        public void NoSheetForKind(SisRow<GradeRecord> row, GradeRecord g, string code = DiagnosticCodes.SisGradeKindNoContinuingSheet)
        {
            var kindName = g.Kind switch
            {
                GradeKind.MakeupCourse => "補修",
                GradeKind.Retake => "重修",
                GradeKind.RepeatYear => "重讀",
                GradeKind.MakeupExam => "補考",
                _ => g.Kind.ToString(),
            };
            diagnostics.Add(DiagnosticCatalog.Create(code, At(row.SourceRow, "kind"), kindName, Redaction.MaskIdentifier(g.StudentNumber)));
            LeftOut(SisRowLeftOutCause.NoSheetForKind);
        }

        // A warning about a row that is still written, located at its SIS row.
        public void Warn<T>(SisRow<T> row, string field, string code, params object?[] args)
            where T : class =>
            diagnostics.Add(DiagnosticCatalog.Create(code, At(row.SourceRow, field), args));

        // A row for another book; counted as read here unless Student already counted it.
        public void ForOtherBook(string bookId, bool read = false)
        {
            if (!read)
            {
                _read++;
            }

            _otherBooks[bookId] = _otherBooks.GetValueOrDefault(bookId) + 1;
        }

        // Counts the row as read, passes on its own diagnostics, and finds its student; a row that cannot go on is
        // left out here with its cause and diagnostic.
        public (StudentRecord Record, bool Continuing)? Student<T>(SisRow<T> row, string? number)
            where T : class
        {
            _read++;
            diagnostics.AddRange(row.Diagnostics);
            if (row.Record is null)
            {
                if (!row.Diagnostics.Any(d => d.IsError))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisRowUnreadable, At(row.SourceRow), kindName));
                }

                LeftOut(SisRowLeftOutCause.Unreadable);
                return null;
            }

            number ??= row.StudentNumber ?? string.Empty;
            if (students.Good.TryGetValue(number, out var student))
            {
                return student;
            }

            if (students.Failed.TryGetValue(number, out var failedRow))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisRowStudentFailed, At(row.SourceRow, "studentNumber"), kindName, Redaction.MaskIdentifier(number), failedRow.Row, failedRow.Causes));
                LeftOut(SisRowLeftOutCause.StudentFailed);
                return null;
            }

            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisRowStudentUnknown, At(row.SourceRow, "studentNumber"), kindName, Redaction.MaskIdentifier(number)));
            LeftOut(SisRowLeftOutCause.StudentUnknown);
            return null;
        }

        public TValue? Required<TValue, T>(SisRow<T> row, TValue? value, string field, string rosterColumn)
            where T : class
        {
            if (value is null || value is string { Length: 0 })
            {
                var column = owner._reader.Profile.Mappings.TryGetValue(kind, out var mapping) && mapping.Columns.TryGetValue(field, out var c) ? c : field;
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisRequiredValueNull, At(row.SourceRow, field) with { Column = column }, column, field, rosterColumn));
                _missing = true;
            }

            return value;
        }

        // Validates the row; a row that passes is written (its warnings located at its roster row), a row that fails
        // is left out with its diagnostics located at its SIS row, so no diagnostic points at a row the file lacks.
        public void Write<T>(RosterSheetWriter sheet, RosterRowValidator validator, SisRow<T> row, IRosterRow rosterRow)
            where T : class
        {
            _rowDiagnostics.Clear();
            if (validator.Validate(rosterRow, sheet.RowCount + 2, _rowDiagnostics))
            {
                sheet.WriteRow(rosterRow);
                diagnostics.AddRange(_rowDiagnostics);
                _written++;
                SheetCounts[sheet.Layout.Sheet.Id] = sheet.RowCount;
            }
            else
            {
                var at = At(row.SourceRow);
                diagnostics.AddRange(_rowDiagnostics.Select(d => d.At((d.Location ?? at) with { Source = at.Source, Row = at.Row })));
                LeftOut(SisRowLeftOutCause.FailedValidation);
            }
        }

        public bool CountsForOtherBook(string bookId) => _otherBooks.ContainsKey(bookId);

        public SisRowAccount Account() => new()
        {
            Source = _source,
            Read = _read,
            Written = _written,
            LeftOutByCause = new Dictionary<SisRowLeftOutCause, int>(_leftOut),
            ForOtherBooks = new Dictionary<string, int>(_otherBooks, StringComparer.Ordinal),
        };

        private void LeftOut(SisRowLeftOutCause cause) => _leftOut[cause] = _leftOut.GetValueOrDefault(cause) + 1;

        private DiagnosticLocation At(long sourceRow, string? path = null) =>
            new(Source: _source, Row: sourceRow > int.MaxValue ? null : (int)sourceRow, Path: path);
    }
}
