using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage.Packages;

/// <summary>
/// Builds a school year's 課程學習成果 and 多元表現 upload packages (上傳包) from the module store: the selected, certified
/// course outcomes and the students' selected 多元表現 of the year, each row with its evidence files (verified against
/// their SHA-256 and named by it in the package), written with <see cref="RosterPackageWriter"/> (fixed entry times: the
/// same content gives the same bytes). Every item considered is packaged or left out with its own diagnostic. After the
/// host recorded a successful submission of a package, <see cref="LockSubmittedAsync"/> locks what was packaged.
/// </summary>
/// <remarks>
/// A 多元表現's <see cref="PerformanceItem.Category"/> names the sheet of the <c>performances</c> book
/// (<c>performance-competition</c>, …) and its <see cref="PerformanceItem.FieldsJson"/> is a JSON object of that sheet's
/// column keys and cell texts; the builder fills the 身分證號, the 簡述 and the file columns. A course outcome goes on its
/// kind's sheet (<c>outcome-semester</c>, <c>outcome-makeup</c>, <c>outcome-retake</c>, <c>outcome-repeat-year</c>,
/// <c>outcome-transfer</c>, <c>outcome-visiting</c>; for a 進修部 student the <c>continuing-outcome-*</c> sheets), with the
/// facts of its kind from <see cref="IYearPackageDirectory.FindCourseAsync(string, CourseOutcomeKind, SchoolTerm, Courses.CourseCode, CancellationToken)"/>;
/// an item whose kind needs a fact the directory did not supply is left out (PF2315) naming the fact.
/// </remarks>
public sealed class YearPackageBuilder
{
    // The first file is the document (課程學習成果) or the proof (多元表現); a second is the media file.
    private static readonly (string Link, string Md5)[] FileColumns = [("documentLink", "documentMd5"), ("proofLink", "proofMd5"), ("mediaLink", "mediaMd5")];
    private static readonly string PlaceholderMd5 = new('0', 32);
    private const string DayBook = "course-outcomes";
    private const string ContinuingBook = "continuing-course-outcomes";
    private readonly PortfolioModule _module;
    private readonly IYearPackageDirectory _directory;

    /// <summary>Initializes the builder.</summary>
    /// <param name="module">The portfolio module (its store and content store).</param>
    /// <param name="directory">The vendor's directory of 身分證號 and courses.</param>
    public YearPackageBuilder(PortfolioModule module, IYearPackageDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(directory);
        _module = module;
        _directory = directory;
    }

    /// <summary>
    /// Writes the year's day-school 課程學習成果 package, book <c>course-outcomes</c> (needs
    /// <see cref="PortfolioOperation.SubmitCourseOutcomeRoster"/>): every kind of course outcome on its sheet. A school
    /// with a 進修部 calls <see cref="WriteCourseOutcomesAsync(PortfolioActor, SchoolCode, SchoolYear, Stream, Stream, CancellationToken)"/>
    /// instead: here a 進修部 student's item is left out of the day package (PF2318), never packaged in the wrong book.
    /// </summary>
    /// <param name="actor">The 課程學習提交者 (or a system administrator).</param>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="output">Where the package goes; it need not be seekable and is left open. Nothing is written when refused.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The package's accounting (every selected item of the year), or the refusal (PF3101).</returns>
    public async Task<PortfolioResult<YearPackage>> WriteCourseOutcomesAsync(PortfolioActor actor, SchoolCode school, SchoolYear year, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(output);
        if (actor.Check(PortfolioOperation.SubmitCourseOutcomeRoster, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<YearPackage>.Refused(denied);
        }

        using var day = new PackageBuild(RosterCatalogue.Default[DayBook], school, year, output);
        await PackageCourseOutcomesAsync(day, null, year, cancellationToken).ConfigureAwait(false);
        return PortfolioResult<YearPackage>.Ok(day.Complete(YearPackageKind.CourseOutcomes));
    }

    /// <summary>
    /// Writes the year's two 課程學習成果 packages (needs <see cref="PortfolioOperation.SubmitCourseOutcomeRoster"/>): the day
    /// book <c>course-outcomes</c> for day students and the 進修部 book <c>continuing-course-outcomes</c> for the students
    /// the directory places in the 進修部 (<see cref="IYearPackageDirectory.FindDivisionAsync"/>). Every selected item of the
    /// year is in exactly one package's accounting: a 進修部 student's item in the 進修部 package (a 補修, 重修 or 重讀
    /// one left out there with PF2316: that book has no sheet for it), every other item, including those left out before
    /// the student's division is known, in the day package.
    /// </summary>
    /// <param name="actor">The 課程學習提交者 (or a system administrator).</param>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="dayOutput">Where the day package goes; it need not be seekable and is left open.</param>
    /// <param name="continuingOutput">Where the 進修部 package goes (another stream); it need not be seekable and is left open.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Both packages' accounting, or the refusal (PF3101); nothing is written when refused.</returns>
    public async Task<PortfolioResult<CourseOutcomePackages>> WriteCourseOutcomesAsync(PortfolioActor actor, SchoolCode school, SchoolYear year, Stream dayOutput, Stream continuingOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(dayOutput);
        ArgumentNullException.ThrowIfNull(continuingOutput);
        if (ReferenceEquals(dayOutput, continuingOutput))
        {
            throw new ArgumentException("The two packages need two streams.", nameof(continuingOutput));
        }

        if (actor.Check(PortfolioOperation.SubmitCourseOutcomeRoster, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<CourseOutcomePackages>.Refused(denied);
        }

        using var day = new PackageBuild(RosterCatalogue.Default[DayBook], school, year, dayOutput);
        using var continuing = new PackageBuild(RosterCatalogue.Default[ContinuingBook], school, year, continuingOutput);
        await PackageCourseOutcomesAsync(day, continuing, year, cancellationToken).ConfigureAwait(false);
        return PortfolioResult<CourseOutcomePackages>.Ok(new CourseOutcomePackages(day.Complete(YearPackageKind.CourseOutcomes), continuing.Complete(YearPackageKind.ContinuingCourseOutcomes)));
    }

    // Every selected course outcome of the year into one package's accounting: the day package until the student's
    // division is known, then the book of the division (without a 進修部 package, a 進修部 item is left out of the day one).
    private async Task PackageCourseOutcomesAsync(PackageBuild day, PackageBuild? continuing, SchoolYear year, CancellationToken cancellationToken)
    {
        await foreach (var outcome in _module.Store.StreamYearPackageCourseOutcomesAsync(year, cancellationToken).ConfigureAwait(false))
        {
            var kind = KindNames(outcome.Kind);
            var item = new ItemRef(kind?.Zh ?? "課程學習成果", kind?.En ?? "course outcome", outcome.Id, outcome.StudentKey);
            var problem = outcome.SelectedFor != year ? item.Create(DiagnosticCodes.YearPackageSelectedForAnotherYear, outcome.SelectedFor?.RocYear)
                : outcome.State != CertificationState.Certified ? item.Create(DiagnosticCodes.YearPackageNotCertified, outcome.State)
                : kind is null ? item.Create(DiagnosticCodes.YearPackageKindNotPackaged, outcome.Kind)
                : null;
            if (problem is not null)
            {
                day.LeaveOut(outcome.Id, problem);
                continue;
            }

            if (await _directory.FindNationalIdAsync(outcome.StudentKey, cancellationToken).ConfigureAwait(false) is not { } nationalId)
            {
                day.LeaveOut(outcome.Id, item.Create(DiagnosticCodes.YearPackageStudentUnresolved));
                continue;
            }

            var division = await _directory.FindDivisionAsync(outcome.StudentKey, cancellationToken).ConfigureAwait(false);
            if (division is not (RosterDivision.Day or RosterDivision.Continuing))
            {
                day.LeaveOut(outcome.Id, item.Create(DiagnosticCodes.YearPackageDivisionUnresolved));
                continue;
            }

            var package = day;
            if (division == RosterDivision.Continuing)
            {
                if (continuing is null)
                {
                    day.LeaveOut(outcome.Id, item.Create(DiagnosticCodes.YearPackageContinuingStudent));
                    continue;
                }

                package = continuing;
                if (outcome.Kind is CourseOutcomeKind.MakeupCourse or CourseOutcomeKind.Retake or CourseOutcomeKind.RepeatYear)
                {
                    package.LeaveOut(outcome.Id, item.Create(DiagnosticCodes.YearPackageNoContinuingSheet));
                    continue;
                }
            }

            if (await _directory.FindCourseAsync(outcome.StudentKey, outcome.Kind, outcome.Term, outcome.CourseCode, cancellationToken).ConfigureAwait(false) is not { } course)
            {
                package.LeaveOut(outcome.Id, item.Create(DiagnosticCodes.YearPackageCourseUnresolved, $"{outcome.CourseCode.Value} ({outcome.Term})"));
                continue;
            }

            var missing = new List<(string Zh, string En)>();
            var row = OutcomeRow(package == continuing, outcome, nationalId, course, missing);
            if (row is null)
            {
                package.LeaveOut(outcome.Id, item.Create(DiagnosticCodes.YearPackageCourseFactMissing, string.Join(", ", missing.Select(m => $"{m.Zh} ({m.En})"))));
                continue;
            }

            var sheet = package.Sheet(row.SheetId);
            var cells = new string?[sheet.Layout.Columns.Count];
            row.WriteCells(sheet.Layout, cells);
            await PackageAsync(package, sheet, item, new YearPackageItem(outcome.Id, outcome.Version), outcome.FileHashes, cells, cancellationToken).ConfigureAwait(false);
        }
    }

    // The names of a course-outcome kind in diagnostics (the item's kind), or null for a value that is not a kind.
    private static (string Zh, string En)? KindNames(CourseOutcomeKind kind) => kind switch
    {
        CourseOutcomeKind.Semester => ("學期課程學習成果", "semester course outcome"),
        CourseOutcomeKind.MakeupCourse => ("補修課程學習成果", "make-up course outcome"),
        CourseOutcomeKind.Retake => ("重修課程學習成果", "retake course outcome"),
        CourseOutcomeKind.RepeatYear => ("重讀課程學習成果", "repeat-year course outcome"),
        CourseOutcomeKind.Transfer => ("轉學轉科課程學習成果", "transfer course outcome"),
        CourseOutcomeKind.Visiting => ("借讀課程學習成果", "visiting course outcome"),
        _ => null,
    };

    // The row of a course outcome on its kind's sheet of the day or 進修部 book, or null when a fact the sheet requires is
    // missing (each one named in missing). The 借讀 term and course are the outcome's own; 重修's and 轉學轉科's 原修課
    // subject, grade level and credits are the course's.
    private static IRosterRow? OutcomeRow(bool continuing, CourseOutcome o, NationalId id, YearPackageCourse c, List<(string Zh, string En)> missing)
    {
        var actualTerm = string.Create(CultureInfo.InvariantCulture, $"{o.Term.Year.RocYear}{(int)o.Term.Term}");
        if (string.IsNullOrWhiteSpace(c.SubjectName))
        {
            missing.Add(("科目名稱", "subject name"));
        }

        T Need<T>(T? value, string zh, string en)
            where T : struct
        {
            if (value is null)
            {
                missing.Add((zh, en));
            }

            return value.GetValueOrDefault();
        }

        string NeedText(string? value, string zh, string en)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                missing.Add((zh, en));
            }

            return value ?? string.Empty;
        }

        IRosterRow row;
        switch (o.Kind)
        {
            case CourseOutcomeKind.MakeupCourse:
                var due = Need(c.DueTerm, "應修課學年度與學期", "due school year and term");
                var makeupMethod = NeedText(c.Method, "補修方式", "make-up method");
                row = new OutcomeMakeupRow
                {
                    NationalId = id, DueSchoolYear = due.Year, DueTerm = due.Term, ActualTerm = actualTerm, CourseCode = o.CourseCode,
                    SubjectName = c.SubjectName, GradeLevel = c.GradeLevel, Credits = c.Credits, MakeupMethod = makeupMethod, Summary = o.Summary,
                };
                break;
            case CourseOutcomeKind.Retake:
                var retaken = Need(c.OriginalTerm, "原修課學年度與學期", "original school year and term");
                var retakenCourse = Need(c.OriginalCourseCode, "原修課課程代碼", "original course code");
                var retakeMethod = NeedText(c.Method, "重修方式", "retake method");
                row = new OutcomeRetakeRow
                {
                    NationalId = id, OriginalSchoolYear = retaken.Year, OriginalTerm = retaken.Term, ActualTerm = actualTerm, OriginalCourseCode = retakenCourse,
                    OriginalSubjectName = c.SubjectName, OriginalGradeLevel = c.GradeLevel, OriginalCredits = c.Credits, RetakeMethod = retakeMethod, Summary = o.Summary,
                };
                break;
            case CourseOutcomeKind.Transfer:
                var school = Need(c.OriginalSchool, "原修課學校代碼", "original school code");
                var taken = Need(c.OriginalTerm, "原修課學年度與學期", "original school year and term");
                var takenCourse = Need(c.OriginalCourseCode, "原修課課程代碼", "original course code");
                row = continuing
                    ? new ContinuingOutcomeTransferRow
                    {
                        NationalId = id, OriginalSchoolCode = school, OriginalSchoolYear = taken.Year, OriginalTerm = taken.Term, OriginalCourseCode = takenCourse,
                        OriginalSubjectName = c.SubjectName, OriginalGradeLevel = c.GradeLevel, OriginalCredits = c.Credits, Summary = o.Summary,
                    }
                    : new OutcomeTransferRow
                    {
                        NationalId = id, OriginalSchoolCode = school, OriginalSchoolYear = taken.Year, OriginalTerm = taken.Term, OriginalCourseCode = takenCourse,
                        OriginalSubjectName = c.SubjectName, OriginalGradeLevel = c.GradeLevel, OriginalCredits = c.Credits, Summary = o.Summary,
                    };
                break;
            case CourseOutcomeKind.Visiting:
                var visited = Need(c.VisitingSchool, "借讀學校代碼", "visited school code");
                row = continuing
                    ? new ContinuingOutcomeVisitingRow
                    {
                        NationalId = id, VisitingSchoolCode = visited, VisitingSchoolYear = o.Term.Year, VisitingTerm = o.Term.Term, VisitingCourseCode = o.CourseCode,
                        VisitingSubjectName = c.SubjectName, VisitingGradeLevel = c.GradeLevel, VisitingCredits = c.Credits, Summary = o.Summary,
                    }
                    : new OutcomeVisitingRow
                    {
                        NationalId = id, VisitingSchoolCode = visited, VisitingSchoolYear = o.Term.Year, VisitingTerm = o.Term.Term, VisitingCourseCode = o.CourseCode,
                        VisitingSubjectName = c.SubjectName, VisitingGradeLevel = c.GradeLevel, VisitingCredits = c.Credits, Summary = o.Summary,
                    };
                break;
            case CourseOutcomeKind.RepeatYear:
                row = new OutcomeRepeatYearRow
                {
                    NationalId = id, ActualTerm = actualTerm, CourseCode = o.CourseCode, SubjectName = c.SubjectName, GradeLevel = c.GradeLevel, Credits = c.Credits, Summary = o.Summary,
                };
                break;
            default:
                row = continuing
                    ? new ContinuingOutcomeSemesterRow
                    {
                        NationalId = id, ActualTerm = actualTerm, CourseCode = o.CourseCode, SubjectName = c.SubjectName, GradeLevel = c.GradeLevel, Credits = c.Credits, Summary = o.Summary,
                    }
                    : new OutcomeSemesterRow
                    {
                        NationalId = id, ActualTerm = actualTerm, CourseCode = o.CourseCode, SubjectName = c.SubjectName, GradeLevel = c.GradeLevel, Credits = c.Credits, Summary = o.Summary,
                    };
                break;
        }

        return missing.Count == 0 ? row : null;
    }

    /// <summary>Writes the year's 多元表現 package (needs <see cref="PortfolioOperation.SubmitPerformanceRoster"/>).</summary>
    /// <param name="actor">The 多元表現提交者 (or a system administrator).</param>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="output">Where the package goes; it need not be seekable and is left open. Nothing is written when refused.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The package's accounting, or the refusal (PF3101).</returns>
    public async Task<PortfolioResult<YearPackage>> WritePerformancesAsync(PortfolioActor actor, SchoolCode school, SchoolYear year, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(output);
        if (actor.Check(PortfolioOperation.SubmitPerformanceRoster, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<YearPackage>.Refused(denied);
        }

        var book = RosterCatalogue.Default["performances"];
        using var package = new PackageBuild(book, school, year, output);
        await foreach (var performance in _module.Store.StreamYearPackagePerformancesAsync(year, cancellationToken).ConfigureAwait(false))
        {
            var item = new ItemRef("多元表現", "performance record", performance.Id, performance.StudentKey);
            if (performance.SelectedFor != year)
            {
                package.LeaveOut(performance.Id, item.Create(DiagnosticCodes.YearPackageSelectedForAnotherYear, performance.SelectedFor?.RocYear));
                continue;
            }

            var sheetOfBook = book.FindSheet(performance.Category);
            var sheet = sheetOfBook is null ? null : package.Sheet(sheetOfBook.Id);
            var cells = sheet is null ? null : Fields(sheet.Layout, performance.FieldsJson);
            if (sheet is null || cells is null)
            {
                package.LeaveOut(performance.Id, item.Create(DiagnosticCodes.YearPackageKindNotPackaged, Redaction.QuoteText(performance.Category)));
                continue;
            }

            if (await _directory.FindNationalIdAsync(performance.StudentKey, cancellationToken).ConfigureAwait(false) is not { } nationalId)
            {
                package.LeaveOut(performance.Id, item.Create(DiagnosticCodes.YearPackageStudentUnresolved));
                continue;
            }

            Put(sheet.Layout, cells, "nationalId", nationalId.Value);
            Put(sheet.Layout, cells, "summary", performance.Summary);
            await PackageAsync(package, sheet, item, new YearPackageItem(performance.Id, performance.Version), performance.FileHashes, cells, cancellationToken).ConfigureAwait(false);
        }

        return PortfolioResult<YearPackage>.Ok(package.Complete(YearPackageKind.Performances));
    }

    /// <summary>
    /// Locks what a package held, once its submission was recorded (提交後鎖定): each packaged item at the version
    /// packaged, through the module's <see cref="PortfolioModule.LockCourseOutcomeAsync"/> or
    /// <see cref="PortfolioModule.LockPerformanceAsync"/> (permission-checked and audited). Idempotent: items already
    /// locked are counted, not locked again. An item changed since it was packaged is not locked (PF1119). The package's
    /// <see cref="YearPackage.Rows"/> are recorded too, so an upheld dispute on a receipt row unlocks its item
    /// (<see cref="PortfolioModule.UnlockForCorrectionAsync"/>).
    /// </summary>
    /// <param name="actor">The submitter.</param>
    /// <param name="package">The package that was submitted.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What was locked, or the refusal (PF3101).</returns>
    public async Task<PortfolioResult<YearPackageLock>> LockSubmittedAsync(PortfolioActor actor, YearPackage package, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(package);
        var outcomes = package.Kind is YearPackageKind.CourseOutcomes or YearPackageKind.ContinuingCourseOutcomes;
        var operation = outcomes ? PortfolioOperation.SubmitCourseOutcomeRoster : PortfolioOperation.SubmitPerformanceRoster;
        if (actor.Check(operation, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<YearPackageLock>.Refused(denied);
        }

        // The rows first: a receipt row of this package finds its item even when the lock below is refused for some.
        await _module.Store.RecordPackageRowsAsync(package.BookId, package.Year, package.Rows, package.Packaged, cancellationToken).ConfigureAwait(false);
        int locked = 0, already = 0;
        var refused = new List<YearPackageLeftOut>();
        foreach (var packaged in package.Packaged)
        {
            var (studentKey, version, isLocked) = outcomes
                ? await _module.Store.GetAsync(packaged.Id, cancellationToken).ConfigureAwait(false) is { } o ? (o.StudentKey, o.Version, o.IsLocked) : (null, 0L, false)
                : await _module.Store.GetPerformanceAsync(packaged.Id, cancellationToken).ConfigureAwait(false) is { } p ? (p.StudentKey, p.Version, p.IsLocked) : (null, 0L, false);
            var item = outcomes ? new ItemRef("課程學習成果", "course outcome", packaged.Id, studentKey) : new ItemRef("多元表現", "performance record", packaged.Id, studentKey);

            // Locking moves the version one past the packaged one (an item packaged while locked keeps its version); any
            // other change means the store no longer holds what was submitted.
            if (isLocked && (version == packaged.Version + 1 || version == packaged.Version))
            {
                already++;
                continue;
            }

            IReadOnlyList<Diagnostic>? problem = null;
            if (studentKey is null || version != packaged.Version)
            {
                problem = Refusal(item, DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, packaged.Version, version));
            }
            else
            {
                var result = outcomes
                    ? (await _module.LockCourseOutcomeAsync(actor, packaged.Id, version, cancellationToken).ConfigureAwait(false)).Problem
                    : (await _module.LockPerformanceAsync(actor, packaged.Id, version, cancellationToken).ConfigureAwait(false)).Problem;
                problem = result is null ? null : Refusal(item, result);
            }

            if (problem is null)
            {
                locked++;
            }
            else
            {
                refused.Add(new YearPackageLeftOut(packaged.Id, problem));
            }
        }

        return PortfolioResult<YearPackageLock>.Ok(new YearPackageLock(locked, already, refused));
    }

    // The row key as a receipt names the row (RosterContent.KeyOf in Portfolio.Sdk.Submission): the sheet's key columns,
    // trimmed (empty for none), joined by '|'.
    internal static string RowKeyOf(RosterSheetLayout layout, IReadOnlyList<string?> cells) =>
        string.Join('|', layout.Sheet.KeyColumns.Select(key => layout.IndexOf(key) is var i and >= 0 && i < cells.Count && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i]!.Trim() : string.Empty));

    private static IReadOnlyList<Diagnostic> Refusal(ItemRef item, Diagnostic reason) =>
        [item.Create(DiagnosticCodes.YearPackageLockRefused, reason.Code), reason];

    // The evidence files: each verified against its SHA-256 and of a type the package takes, then the row checked with
    // the links it will have, then the files added and the row kept. A row refused leaves nothing in the package.
    private async Task PackageAsync(PackageBuild package, SheetBuild sheet, ItemRef item, YearPackageItem packaged, IReadOnlyList<string> hashes, string?[] cells, CancellationToken cancellationToken)
    {
        var slots = FileColumns.Where(c => sheet.Layout.IndexOf(c.Link) >= 0 && sheet.Layout.IndexOf(c.Md5) >= 0).ToList();
        if (hashes.Count == 0)
        {
            package.LeaveOut(packaged.Id, item.Create(DiagnosticCodes.YearPackageEvidenceUnusable, 0));
            return;
        }

        if (hashes.Count > slots.Count)
        {
            package.LeaveOut(packaged.Id, item.Create(DiagnosticCodes.YearPackageTooManyFiles, hashes.Count));
            return;
        }

        var opened = new List<(Stream Content, PortfolioFileType Type, string Sha256)>();
        try
        {
            foreach (var hash in hashes)
            {
                Stream content;
                try
                {
                    content = await _module.Files.OpenVerifiedAsync(hash, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is PortfolioException or ArgumentException)
                {
                    package.LeaveOut(packaged.Id, item.Create(DiagnosticCodes.YearPackageEvidenceMissing, hash.Length > 12 ? hash[..12] : hash));
                    return;
                }

                opened.Add((content, default, hash));
                var header = new byte[FileSignature.HeaderLength];
                var read = await content.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                content.Position = 0;
                if (FileSignature.Detect(header.AsSpan(0, read)) is not { } type)
                {
                    package.LeaveOut(packaged.Id, item.Create(DiagnosticCodes.YearPackageEvidenceUnusable, hashes.Count));
                    return;
                }

                opened[^1] = (content, type, hash.ToLowerInvariant());
            }

            for (var i = 0; i < opened.Count; i++)
            {
                Put(sheet.Layout, cells, slots[i].Link, $"{RosterPackageWriter.FilesFolder}{opened[i].Sha256}.{FileSignature.Extension(opened[i].Type)}");
                Put(sheet.Layout, cells, slots[i].Md5, PlaceholderMd5);
            }

            var problems = new List<Diagnostic>();
            if (!sheet.Validator.Validate(cells, sheet.Rows.Count + 2, problems))
            {
                package.LeaveOut(packaged.Id, [item.Create(DiagnosticCodes.YearPackageRowInvalid), .. problems]);
                return;
            }

            for (var i = 0; i < opened.Count; i++)
            {
                var added = await package.Writer.AddFileAsync(opened[i].Content, cancellationToken: cancellationToken).ConfigureAwait(false);
                var file = added.Value ?? throw new InvalidOperationException("A file of a detected type was refused by the package.");
                Put(sheet.Layout, cells, slots[i].Link, file.Path);
                Put(sheet.Layout, cells, slots[i].Md5, file.Md5);
            }

            sheet.Rows.Add(cells);
            package.Packaged.Add(packaged);
            package.Rows.Add(new YearPackageRow(packaged.Id, sheet.Layout.Sheet.Id, YearPackageRow.HashOf(RowKeyOf(sheet.Layout, cells))));
        }
        finally
        {
            foreach (var (content, _, _) in opened)
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // A 多元表現's fields: a JSON object of the sheet's column keys and their cell texts (strings, numbers or null).
    // The columns the builder fills (身分證號, 簡述, files) cannot be given; anything else unreadable gives null.
    private static string?[]? Fields(RosterSheetLayout layout, string? fieldsJson)
    {
        var cells = new string?[layout.Columns.Count];
        if (string.IsNullOrWhiteSpace(fieldsJson))
        {
            return cells;
        }

        try
        {
            using var document = JsonDocument.Parse(fieldsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var index = layout.IndexOf(property.Name);
                if (index < 0 || property.Name is "nationalId" or "summary" || FileColumns.Any(c => c.Link == property.Name || c.Md5 == property.Name))
                {
                    return null;
                }

                cells[index] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new JsonException("A field is neither text, a number nor null."),
                };
            }

            return cells;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Put(RosterSheetLayout layout, string?[] cells, string key, string? value)
    {
        var index = layout.IndexOf(key);
        if (index >= 0)
        {
            cells[index] = value;
        }
    }

    // The item a diagnostic names: kind, id and the masked student key ({0}–{3}); the code's own values follow.
    private sealed record ItemRef(string KindZh, string KindEn, Guid Id, string? StudentKey)
    {
        public Diagnostic Create(string code, params object?[] values) =>
            DiagnosticCatalog.Create(code, DiagnosticLocation.ForPath($"items/{Id:D}"), [KindZh, Id.ToString("D"), Redaction.MaskIdentifier(StudentKey), KindEn, .. values]);
    }

    private sealed class SheetBuild(RosterSheetLayout layout, RosterCover cover)
    {
        public RosterSheetLayout Layout { get; } = layout;

        public RosterRowValidator Validator { get; } = new(layout, cover);

        public List<string?[]> Rows { get; } = [];
    }

    // One package being written: the files go in as items are accepted; the workbook (its sheets in book order) at the end.
    private sealed class PackageBuild : IDisposable
    {
        private readonly RosterBook _book;
        private readonly RosterCover _cover;
        private readonly SchoolYear _year;
        private readonly Dictionary<string, SheetBuild> _sheets = new(StringComparer.Ordinal);
        private bool _completed;

        public PackageBuild(RosterBook book, SchoolCode school, SchoolYear year, Stream output)
        {
            _book = book;
            _year = year;
            _cover = RosterCover.For(book, school, new SchoolTerm(year, Term.WholeYear));
            Writer = RosterPackageWriter.Create(output, book, _cover);
        }

        public RosterPackageWriter Writer { get; }

        public List<YearPackageItem> Packaged { get; } = [];

        public List<YearPackageLeftOut> LeftOut { get; } = [];

        public List<YearPackageRow> Rows { get; } = [];

        public SheetBuild Sheet(string id)
        {
            if (!_sheets.TryGetValue(id, out var sheet))
            {
                sheet = new SheetBuild(_book.FindSheet(id)!.LayoutFor(_year), _cover);
                _sheets.Add(id, sheet);
            }

            return sheet;
        }

        public void LeaveOut(Guid id, params IReadOnlyList<Diagnostic> diagnostics) => LeftOut.Add(new YearPackageLeftOut(id, diagnostics));

        public YearPackage Complete(YearPackageKind kind)
        {
            Writer.WriteWorkbook(workbook =>
            {
                foreach (var sheet in _book.Sheets.Where(s => _sheets.ContainsKey(s.Id)))
                {
                    using var writer = workbook.BeginSheet(sheet.Id);
                    _sheets[sheet.Id].Rows.ForEach(writer.WriteRow);
                }
            });
            var manifest = Writer.Complete();
            _completed = true;
            return new YearPackage(kind, _cover.School, _year, Packaged, LeftOut, manifest, Rows);
        }

        public void Dispose()
        {
            if (!_completed)
            {
                Writer.Dispose();
            }
        }
    }
}
