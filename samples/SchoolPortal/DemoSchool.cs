using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal;

/// <summary>A course a demo student takes this school year (修課), with the teacher who certifies its outcomes.</summary>
/// <param name="Code">The 課程代碼.</param>
/// <param name="Subject">The subject name.</param>
/// <param name="Term">The term.</param>
/// <param name="TeacherId">The certifying teacher's user id.</param>
/// <param name="Credited">Whether the course was passed (取得學分), which a selection needs.</param>
internal sealed record DemoCourse(CourseCode Code, string Subject, SchoolTerm Term, string TeacherId, bool Credited);

/// <summary>A demo student (學生) read from the demo SIS.</summary>
/// <param name="StudentNumber">The 學號, the module's student key.</param>
/// <param name="NationalId">The 身分證號 (the receipts' key); shown only masked, and only to the student.</param>
/// <param name="Name">The name; shown only masked.</param>
/// <param name="ClassName">The class this term.</param>
/// <param name="Seat">The seat number.</param>
/// <param name="Courses">This school year's courses.</param>
internal sealed record DemoStudent(string StudentNumber, string NationalId, string? Name, string ClassName, int? Seat, IReadOnlyList<DemoCourse> Courses)
{
    /// <summary>Gets the demo sign-in's key for the student: class and seat, so that no 學號 appears on the sign-in page.</summary>
    public string SignInKey => string.Create(CultureInfo.InvariantCulture, $"s-{ClassName}-{Seat:00}");

    /// <summary>Gets the label shown for the student: class, seat and masked name (never the 學號 or 身分證號 in full).</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"{ClassName} 班 {Seat:00} 號 {Redaction.MaskName(Name)}");

    /// <inheritdoc />
    public override string ToString() => $"DemoStudent {{ {Redaction.MaskIdentifier(StudentNumber)}, {ClassName} }}";
}

/// <summary>A demo staff member: a 授課教師 of one subject, a 導師 of one class, or the 系統管理者.</summary>
/// <param name="UserId">The user id.</param>
/// <param name="DisplayName">The name shown.</param>
/// <param name="Role">The role.</param>
/// <param name="Classes">The classes a 導師 leads.</param>
/// <param name="Courses">The course codes a teacher teaches.</param>
internal sealed record DemoStaff(string UserId, string DisplayName, PortfolioRole Role, IReadOnlyList<string> Classes, IReadOnlyList<string> Courses);

/// <summary>
/// The demo school as the portal sees it (示範學校): students with their class and courses of this term's school year,
/// teachers by subject, a 導師 per class and an administrator, all read from the demo SIS. Every SIS row read is
/// accounted for: used, or left out with its own diagnostic.
/// </summary>
internal sealed class DemoSchool
{
    /// <summary>The administrator's user id.</summary>
    public const string AdministratorId = "admin";

    private DemoSchool(SchoolTerm term, Dictionary<string, DemoStudent> students, Dictionary<string, DemoStaff> staff, SisReadAccount account)
    {
        Term = term;
        Students = students;
        Staff = staff;
        Account = account;
    }

    /// <summary>Gets the term the portal runs in.</summary>
    public SchoolTerm Term { get; }

    /// <summary>Gets the students by 學號.</summary>
    public IReadOnlyDictionary<string, DemoStudent> Students { get; }

    /// <summary>Gets the staff by user id.</summary>
    public IReadOnlyDictionary<string, DemoStaff> Staff { get; }

    /// <summary>Gets the account of the SIS rows read.</summary>
    public SisReadAccount Account { get; }

    /// <summary>The teacher who certifies a course's outcomes: one per subject (the code's last four characters).</summary>
    /// <param name="code">The course.</param>
    /// <returns>The user id.</returns>
    public static string TeacherOf(CourseCode code) => "t-" + code.Value[^4..];

    /// <summary>Reads the school from the SIS: the students and their classes of <paramref name="term"/>, and the
    /// grades of every term of its school year up to it.</summary>
    /// <param name="reader">The SIS reader.</param>
    /// <param name="term">The portal's term.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The school.</returns>
    public static async Task<DemoSchool> LoadAsync(SisReader reader, SchoolTerm term, CancellationToken cancellationToken)
    {
        var account = new SisReadAccount();
        var basic = new Dictionary<string, (Portfolio.Sdk.Sis.Records.StudentRecord Record, long Row)>(StringComparer.Ordinal);
        var failed = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
        {
            account.Read("students");
            if (row.Record is { } s)
            {
                basic[s.StudentNumber] = (s, row.SourceRow);
            }
            else
            {
                account.LeftOut("students", row.Diagnostics);
            }
        }

        var classes = new Dictionary<string, (string ClassName, int? Seat)>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadStudentTermsAsync(term, cancellationToken).ConfigureAwait(false))
        {
            account.Read("student-terms");
            if (row.Record is not { } t)
            {
                account.LeftOut("student-terms", row.Diagnostics);
            }
            else if (!basic.ContainsKey(t.StudentNumber) || t.ClassName is null)
            {
                account.LeftOut("student-terms", [DiagnosticCatalog.Create(DiagnosticCodes.SisRowStudentUnknown, At(row.SourceRow), "編班", Redaction.MaskIdentifier(t.StudentNumber))]);
            }
            else
            {
                classes[t.StudentNumber] = (t.ClassName, t.SeatNumber);
                account.Used("student-terms");
            }
        }

        var students = new Dictionary<string, DemoStudent>(StringComparer.Ordinal);
        foreach (var (number, (record, sourceRow)) in basic)
        {
            if (classes.TryGetValue(number, out var place))
            {
                students[number] = new DemoStudent(number, record.NationalId.Value, record.Name, place.ClassName, place.Seat, []);
                account.Used("students");
            }
            else
            {
                failed[number] = sourceRow;
                account.LeftOut("students", [DiagnosticCatalog.Create(DiagnosticCodes.PortalStudentWithoutClass, At(sourceRow), Redaction.MaskIdentifier(number), term.ToString())]);
            }
        }

        var courses = new Dictionary<string, List<DemoCourse>>(StringComparer.Ordinal);
        var teachers = new Dictionary<string, (string Subject, HashSet<string> Codes)>(StringComparer.Ordinal);
        foreach (var t in new[] { new SchoolTerm(term.Year, Portfolio.Sdk.Calendar.Term.First), new SchoolTerm(term.Year, Portfolio.Sdk.Calendar.Term.Second) }.Where(t => t.Term <= term.Term))
        {
            await foreach (var row in reader.ReadGradesAsync(t, cancellationToken).ConfigureAwait(false))
            {
                account.Read("grades");
                if (row.Record is not { } grade)
                {
                    account.LeftOut("grades", row.Diagnostics);
                    continue;
                }

                if (!students.ContainsKey(grade.StudentNumber))
                {
                    account.LeftOut("grades", [failed.TryGetValue(grade.StudentNumber, out var basicRow)
                        ? DiagnosticCatalog.Create(DiagnosticCodes.SisRowStudentFailed, At(row.SourceRow), "成績", Redaction.MaskIdentifier(grade.StudentNumber), basicRow)
                        : DiagnosticCatalog.Create(DiagnosticCodes.SisRowStudentUnknown, At(row.SourceRow), "成績", Redaction.MaskIdentifier(grade.StudentNumber))]);
                    continue;
                }

                var teacher = TeacherOf(grade.CourseCode);
                var subject = grade.SubjectName ?? grade.CourseCode.Value[^4..];
                var passed = grade.Passed == "1" || grade.MakeupExamPassed == "1";
                courses.TryAdd(grade.StudentNumber, []);
                courses[grade.StudentNumber].Add(new DemoCourse(grade.CourseCode, subject, t, teacher, passed));
                teachers.TryAdd(teacher, (subject, new HashSet<string>(StringComparer.Ordinal)));
                teachers[teacher].Codes.Add(grade.CourseCode.Value);
                account.Used("grades");
            }
        }

        foreach (var (number, student) in students)
        {
            students[number] = student with { Courses = courses.TryGetValue(number, out var list) ? list : [] };
        }

        var staff = new Dictionary<string, DemoStaff>(StringComparer.Ordinal)
        {
            [AdministratorId] = new(AdministratorId, "教務處 系統管理者", PortfolioRole.SystemAdministrator, [], []),
        };
        foreach (var (id, (subject, codes)) in teachers.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            staff[id] = new DemoStaff(id, $"{subject}科 授課教師", PortfolioRole.CourseTeacher, [], [.. codes.Order(StringComparer.Ordinal)]);
        }

        foreach (var className in students.Values.Select(s => s.ClassName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            staff["h-" + className] = new DemoStaff("h-" + className, $"{className} 班 導師", PortfolioRole.HomeroomTeacher, [className], []);
        }

        return new DemoSchool(term, students, staff, account);
    }

    private static DiagnosticLocation At(long row) => new(Source: "demo-sis", Row: (int)Math.Min(row, int.MaxValue));
}

/// <summary>The account of the SIS rows the portal read (每列皆有交代): per source, read = used + left out, each left-out row with its diagnostics.</summary>
internal sealed class SisReadAccount
{
    private readonly Dictionary<string, (int Read, int Used, int LeftOut)> _counts = new(StringComparer.Ordinal);

    /// <summary>Gets the diagnostics of the rows left out.</summary>
    public List<Diagnostic> Diagnostics { get; } = [];

    /// <summary>Gets the counts per source.</summary>
    public IReadOnlyDictionary<string, (int Read, int Used, int LeftOut)> Counts => _counts;

    /// <summary>Gets whether every source's rows are accounted for.</summary>
    public bool Balances => _counts.Values.All(c => c.Read == c.Used + c.LeftOut);

    /// <summary>Counts a row read.</summary>
    /// <param name="source">The source.</param>
    public void Read(string source) => Change(source, 1, 0, 0);

    /// <summary>Counts a row used.</summary>
    /// <param name="source">The source.</param>
    public void Used(string source) => Change(source, 0, 1, 0);

    /// <summary>Counts a row left out, with its diagnostics.</summary>
    /// <param name="source">The source.</param>
    /// <param name="diagnostics">Why.</param>
    /// <exception cref="ArgumentException">No diagnostic says why.</exception>
    public void LeftOut(string source, IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (diagnostics.Count == 0)
        {
            throw new ArgumentException("A row left out needs its own diagnostic.", nameof(diagnostics));
        }

        Change(source, 0, 0, 1);
        Diagnostics.AddRange(diagnostics);
    }

    private void Change(string source, int read, int used, int leftOut)
    {
        var c = _counts.GetValueOrDefault(source);
        _counts[source] = (c.Read + read, c.Used + used, c.LeftOut + leftOut);
    }
}
