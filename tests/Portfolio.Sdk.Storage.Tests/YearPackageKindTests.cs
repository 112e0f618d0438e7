using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// Every course-outcome kind on its sheet of the day book or the 進修部 book, with the kind's facts from the directory; an
/// item whose fact is missing, or whose kind the 進修部 book has no sheet for, left out with its own diagnostic; every item
/// in exactly one package's accounting.
/// </summary>
public sealed class YearPackageKindTests
{
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    private static readonly SchoolCode OtherSchool = SchoolCode.Parse("013301");

    private static readonly PortfolioActor Submitter = new("staff-sub", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });

    private static readonly SchoolTerm Earlier = SchoolTerm.Parse("112-2");

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static NationalId IdOf(int i)
    {
        var nine = $"B2{i:0000000}";
        return NationalId.Parse(nine + NationalId.ComputeCheckDigit(nine));
    }

    private static string KeyOf(int i) => $"K{i:000000}";

    // Distinct course codes: the last two digits (the course's serial) vary.
    private static CourseCode CourseOf(int i) => CourseCode.Parse($"113060322H11101010101{i % 100:00}");

    private static byte[] PdfBytes(string text) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    private static async Task<string> PutAsync(ModuleFixture f, byte[] content) =>
        (await new FileSystemContentStore(f.FilesRoot).PutAsync(new MemoryStream(content), Token)).Sha256;

    private static CourseOutcome Outcome(int i, CourseOutcomeKind kind, IReadOnlyList<string> files, SchoolTerm? term = null) => new()
    {
        Id = new Guid(i, 7, 7, new byte[8]),
        StudentKey = KeyOf(i),
        ClassName = "101",
        Term = term ?? Term1,
        CourseCode = CourseOf(i),
        Kind = kind,
        Summary = $"第 {i} 件課程學習成果：我整理了學習歷程並反思所學。",
        CertifyingTeacher = "t-math",
        State = CertificationState.Certified,
        SelectedFor = Year,
        FileHashes = files,
        Version = 3,
    };

    // Every fact of every kind, as a SIS would answer.
    private static YearPackageCourse FullFacts(int i) => new($"科目{i}", 2, 3)
    {
        DueTerm = Earlier,
        Method = "3",
        OriginalSchool = OtherSchool,
        OriginalTerm = Earlier,
        OriginalCourseCode = CourseCode.Parse($"112013301H11101010101{i % 100:00}"),
        VisitingSchool = OtherSchool,
    };

    private static List<(string Sheet, IReadOnlyList<string?> Cells)> Verify(byte[] package)
    {
        var rows = new List<(string, IReadOnlyList<string?>)>();
        var report = new RosterPackageVerifier().Verify(new MemoryStream(package), "year.zip", r => rows.Add((r.Layout.Sheet.Id, [.. r.Values])), Token);
        report.HasErrors.ShouldBeFalse(string.Join("; ", report.Diagnostics.Select(d => d.ToString())));
        return rows;
    }

    private static byte[] Entry(byte[] package, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var entry = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryKind_IsPackagedOnItsSheet_CellByCell_ContinuingStudentsInTheirBook_AndTheSameBytesTwice(string provider)
    {
        await using var f = await OpenAsync(provider);
        var directory = new KindDirectory();
        var cases = new (int I, CourseOutcomeKind Kind, bool Continuing, string? Sheet)[]
        {
            (1, CourseOutcomeKind.Semester, false, "outcome-semester"),
            (2, CourseOutcomeKind.MakeupCourse, false, "outcome-makeup"),
            (3, CourseOutcomeKind.Retake, false, "outcome-retake"),
            (4, CourseOutcomeKind.RepeatYear, false, "outcome-repeat-year"),
            (5, CourseOutcomeKind.Transfer, false, "outcome-transfer"),
            (6, CourseOutcomeKind.Visiting, false, "outcome-visiting"),
            (7, CourseOutcomeKind.Semester, true, "continuing-outcome-semester"),
            (8, CourseOutcomeKind.Transfer, true, "continuing-outcome-transfer"),
            (9, CourseOutcomeKind.Visiting, true, "continuing-outcome-visiting"),
            (10, CourseOutcomeKind.MakeupCourse, true, null),
            (11, CourseOutcomeKind.Retake, true, null),
            (12, CourseOutcomeKind.RepeatYear, true, null),
        };
        var outcomes = new Dictionary<int, (CourseOutcome Outcome, string Hash)>();
        foreach (var (i, kind, continuing, _) in cases)
        {
            var hash = await PutAsync(f, PdfBytes($"evidence {i}"));
            var outcome = Outcome(i, kind, [hash]);
            await f.Store.AddAsync(outcome, Submitter, Token);
            outcomes[i] = (outcome, hash);
            directory.Ids[KeyOf(i)] = IdOf(i);
            directory.Divisions[KeyOf(i)] = continuing ? RosterDivision.Continuing : RosterDivision.Day;
            directory.Courses[(KeyOf(i), kind, Term1, CourseOf(i))] = FullFacts(i);
        }

        var builder = new YearPackageBuilder(f.Module, directory);
        using var dayOutput = new MemoryStream();
        using var continuingOutput = new MemoryStream();
        var result = await builder.WriteCourseOutcomesAsync(Submitter, School, Year, dayOutput, continuingOutput, Token);
        result.Succeeded.ShouldBeTrue(result.ToString());
        var (day, continuingPackage) = (result.Value.Day, result.Value.Continuing);
        (day.Kind, day.BookId, continuingPackage.Kind, continuingPackage.BookId).ShouldBe((YearPackageKind.CourseOutcomes, "course-outcomes", YearPackageKind.ContinuingCourseOutcomes, "continuing-course-outcomes"));
        day.Packaged.Select(p => p.Id).ShouldBe(cases.Where(c => !c.Continuing).Select(c => outcomes[c.I].Outcome.Id), ignoreOrder: true);
        day.LeftOut.ShouldBeEmpty();
        continuingPackage.Packaged.Select(p => p.Id).ShouldBe(cases.Where(c => c.Continuing && c.Sheet is not null).Select(c => outcomes[c.I].Outcome.Id), ignoreOrder: true);
        continuingPackage.LeftOut.Select(l => (l.Id, l.Diagnostics[0].Code)).ShouldBe(
            cases.Where(c => c.Sheet is null).Select(c => (outcomes[c.I].Outcome.Id, DiagnosticCodes.YearPackageNoContinuingSheet)), ignoreOrder: true);
        continuingPackage.LeftOut.ShouldAllBe(l => l.Diagnostics[0].Message.Contains("進修部") && l.Diagnostics[0].MessageEnglish.Contains(l.Id.ToString("D")));
        result.Value.Considered.ShouldBe(cases.Length);

        // Each packaged row, cell by cell, with its evidence file by hash.
        var rowsByPackage = new[] { (Bytes: dayOutput.ToArray(), Book: "course-outcomes"), (Bytes: continuingOutput.ToArray(), Book: "continuing-course-outcomes") };
        foreach (var (bytes, bookId) in rowsByPackage)
        {
            var book = RosterCatalogue.Default[bookId];
            var rows = Verify(bytes);
            var expectedCases = cases.Where(c => c.Sheet is not null && book.FindSheet(c.Sheet) is not null).ToList();
            rows.Count.ShouldBe(expectedCases.Count);
            var manifest = bookId == "course-outcomes" ? day.Manifest : continuingPackage.Manifest;
            manifest.Book.ShouldBe(bookId);
            foreach (var (i, kind, _, sheetId) in expectedCases)
            {
                var (outcome, hash) = outcomes[i];
                var layout = book.FindSheet(sheetId!)!.LayoutFor(Year);
                var cells = rows.Single(r => r.Sheet == sheetId && r.Cells[layout.IndexOf("nationalId")] == IdOf(i).Value).Cells;
                var stored = await File.ReadAllBytesAsync(Directory.EnumerateFiles(f.FilesRoot, hash + "*", SearchOption.AllDirectories).Single(), Token);
                Entry(bytes, $"files/{hash}.pdf").ShouldBe(stored);
#pragma warning disable CA5351 // the roster's MD5 column is the central database's format, checked here
                var md5 = Convert.ToHexStringLower(MD5.HashData(stored));
#pragma warning restore CA5351
                var expected = new Dictionary<string, string?>
                {
                    ["nationalId"] = IdOf(i).Value,
                    ["summary"] = outcome.Summary,
                    ["documentLink"] = $"files/{hash}.pdf",
                    ["documentMd5"] = md5,
                };
                var original = $"112013301H11101010101{i:00}";
                switch (kind)
                {
                    case CourseOutcomeKind.Semester or CourseOutcomeKind.RepeatYear:
                        Add(expected, ("actualTerm", "1131"), ("courseCode", CourseOf(i).Value), ("subjectName", $"科目{i}"), ("gradeLevel", "2"), ("credits", "3"));
                        break;
                    case CourseOutcomeKind.MakeupCourse:
                        Add(expected, ("dueSchoolYear", "112"), ("dueTerm", "2"), ("actualTerm", "1131"), ("courseCode", CourseOf(i).Value), ("subjectName", $"科目{i}"), ("gradeLevel", "2"), ("credits", "3"), ("makeupMethod", "3"));
                        break;
                    case CourseOutcomeKind.Retake:
                        Add(expected, ("originalSchoolYear", "112"), ("originalTerm", "2"), ("actualTerm", "1131"), ("originalCourseCode", original), ("originalSubjectName", $"科目{i}"), ("originalGradeLevel", "2"), ("originalCredits", "3"), ("retakeMethod", "3"));
                        break;
                    case CourseOutcomeKind.Transfer:
                        Add(expected, ("originalSchoolCode", "013301"), ("originalSchoolYear", "112"), ("originalTerm", "2"), ("originalCourseCode", original), ("originalSubjectName", $"科目{i}"), ("originalGradeLevel", "2"), ("originalCredits", "3"));
                        break;
                    default:
                        Add(expected, ("visitingSchoolCode", "013301"), ("visitingSchoolYear", "113"), ("visitingTerm", "1"), ("visitingCourseCode", CourseOf(i).Value), ("visitingSubjectName", $"科目{i}"), ("visitingGradeLevel", "2"), ("visitingCredits", "3"));
                        break;
                }

                cells.ShouldBe(layout.Columns.Select(c => expected.GetValueOrDefault(c.Key)), $"{sheetId} of case {i}");
            }

            // The packaged workbook passes the validator as the central database would read it, and the package holds
            // exactly the packaged items' files.
            var report = new RosterWorkbookValidator().Validate(new MemoryStream(Entry(bytes, manifest.Workbook.Path)), manifest.Workbook.Path, Token);
            report.HasErrors.ShouldBeFalse(string.Join("; ", report.Diagnostics.Select(d => d.ToString())));
            manifest.Files.Select(x => x.Sha256).ShouldBe(expectedCases.Select(c => outcomes[c.I].Hash), ignoreOrder: true);
        }

        // A 進修部 student's national ID is never in the day book, a day student's never in the 進修部 book.
        var dayRows = Verify(dayOutput.ToArray());
        var continuingRows = Verify(continuingOutput.ToArray());
        foreach (var (i, _, continuing, _) in cases)
        {
            (continuing ? dayRows : continuingRows).ShouldAllBe(r => !r.Cells.Contains(IdOf(i).Value));
        }

        // The same store content gives the same bytes, both packages.
        using var dayAgain = new MemoryStream();
        using var continuingAgain = new MemoryStream();
        (await builder.WriteCourseOutcomesAsync(Submitter, School, Year, dayAgain, continuingAgain, Token)).Succeeded.ShouldBeTrue();
        dayAgain.ToArray().ShouldBe(dayOutput.ToArray());
        continuingAgain.ToArray().ShouldBe(continuingOutput.ToArray());

        // The day-only call packages the same day rows (the same bytes) and leaves each 進修部 item out of it, named.
        using var dayOnly = new MemoryStream();
        var dayPackage = (await builder.WriteCourseOutcomesAsync(Submitter, School, Year, dayOnly, Token)).Value!;
        dayOnly.ToArray().ShouldBe(dayOutput.ToArray());
        dayPackage.Packaged.ShouldBe(day.Packaged);
        dayPackage.LeftOut.Select(l => (l.Id, l.Diagnostics[0].Code)).ShouldBe(
            cases.Where(c => c.Continuing).Select(c => (outcomes[c.I].Outcome.Id, DiagnosticCodes.YearPackageContinuingStudent)), ignoreOrder: true);
        dayPackage.Considered.ShouldBe(cases.Length);

        // Locking a submitted 進修部 package locks its items.
        var locked = (await builder.LockSubmittedAsync(Submitter, continuingPackage, Token)).Value!;
        locked.Locked.ShouldBe(3);
        (await f.Store.GetAsync(outcomes[7].Outcome.Id, Token))!.IsLocked.ShouldBeTrue();
        (await f.Store.GetAsync(outcomes[10].Outcome.Id, Token))!.IsLocked.ShouldBeFalse();
    }

    private static void Add(Dictionary<string, string?> cells, params (string Key, string Value)[] values)
    {
        foreach (var (key, value) in values)
        {
            cells[key] = value;
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AMissingFactOfTheKind_LeavesTheItemOut_NamingTheFact_NeverAMadeUpValue(string provider)
    {
        await using var f = await OpenAsync(provider);
        var hash = await PutAsync(f, PdfBytes("facts"));
        var directory = new KindDirectory();
        var cases = new (int I, CourseOutcomeKind Kind, YearPackageCourse Facts, string Zh, string En)[]
        {
            (1, CourseOutcomeKind.MakeupCourse, FullFacts(1) with { DueTerm = null }, "應修課學年度與學期", "due school year and term"),
            (2, CourseOutcomeKind.MakeupCourse, FullFacts(2) with { Method = " " }, "補修方式", "make-up method"),
            (3, CourseOutcomeKind.Retake, FullFacts(3) with { OriginalTerm = null }, "原修課學年度與學期", "original school year and term"),
            (4, CourseOutcomeKind.Retake, FullFacts(4) with { OriginalCourseCode = null }, "原修課課程代碼", "original course code"),
            (5, CourseOutcomeKind.Retake, FullFacts(5) with { Method = null }, "重修方式", "retake method"),
            (6, CourseOutcomeKind.Transfer, FullFacts(6) with { OriginalSchool = null }, "原修課學校代碼", "original school code"),
            (7, CourseOutcomeKind.Transfer, FullFacts(7) with { OriginalTerm = null, OriginalCourseCode = null }, "原修課學年度與學期 (original school year and term), 原修課課程代碼 (original course code)", "original school year and term), 原修課課程代碼 (original course code)"),
            (8, CourseOutcomeKind.Visiting, FullFacts(8) with { VisitingSchool = null }, "借讀學校代碼", "visited school code"),
            (9, CourseOutcomeKind.Semester, FullFacts(9) with { SubjectName = "" }, "科目名稱", "subject name"),
        };
        foreach (var (i, kind, facts, _, _) in cases)
        {
            await f.Store.AddAsync(Outcome(i, kind, [hash]), Submitter, Token);
            directory.Ids[KeyOf(i)] = IdOf(i);
            directory.Courses[(KeyOf(i), kind, Term1, CourseOf(i))] = facts;
        }

        using var output = new MemoryStream();
        var package = (await new YearPackageBuilder(f.Module, directory).WriteCourseOutcomesAsync(Submitter, School, Year, output, Token)).Value!;
        package.Packaged.ShouldBeEmpty();
        package.Considered.ShouldBe(cases.Length);
        foreach (var (i, kind, _, zh, en) in cases)
        {
            var diagnostic = package.LeftOut.Single(l => l.Id == Outcome(i, kind, []).Id).Diagnostics.ShouldHaveSingleItem();
            diagnostic.Code.ShouldBe(DiagnosticCodes.YearPackageCourseFactMissing);
            diagnostic.IsError.ShouldBeTrue();
            diagnostic.Message.ShouldContain(zh);
            diagnostic.MessageEnglish.ShouldContain(en);
            diagnostic.Message.ShouldNotContain(KeyOf(i));
            diagnostic.ToString().ShouldNotContain(IdOf(i).Value);
        }

        Verify(output.ToArray()).ShouldBeEmpty();
        package.Manifest.Files.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ADirectoryWithOnlyTheRequiredMembers_PackagesSemesterAndRepeatYear_AndLeavesOtherKindsOutAsUnknownCourses(string provider)
    {
        await using var f = await OpenAsync(provider);
        var hash = await PutAsync(f, PdfBytes("defaults"));
        var directory = new MinimalDirectory();
        var kinds = Enum.GetValues<CourseOutcomeKind>();
        foreach (var (kind, i) in kinds.Select((k, i) => (k, i + 1)))
        {
            await f.Store.AddAsync(Outcome(i, kind, [hash]), Submitter, Token);
            directory.Ids[KeyOf(i)] = IdOf(i);
            directory.Courses[(KeyOf(i), Term1, CourseOf(i))] = new YearPackageCourse("數學", 1, 4);
        }

        var package = (await new YearPackageBuilder(f.Module, directory).WriteCourseOutcomesAsync(Submitter, School, Year, new MemoryStream(), Token)).Value!;
        package.Packaged.Select(p => p.Id).ShouldBe([Outcome(1, CourseOutcomeKind.Semester, []).Id, Outcome(4, CourseOutcomeKind.RepeatYear, []).Id], ignoreOrder: true);
        package.LeftOut.Select(l => l.Diagnostics[0].Code).ShouldBe(Enumerable.Repeat(DiagnosticCodes.YearPackageCourseUnresolved, kinds.Length - 2));
    }

    // ---------------------------------------------------------------- the accounting invariant over both packages

    // Student 5 is unknown to the directory; a student's division is drawn per run (day, 進修部 or unknown).
    private sealed record GeneratedOutcome(int Student, bool Certified, int SelectedFor, CourseOutcomeKind Kind, bool KnownCourse, int MissingFact, int File);

    private sealed record GeneratedStore(RosterDivision?[] Divisions, GeneratedOutcome[] Outcomes);

    private static Gen<GeneratedStore> Stores()
    {
        var division = Gen.Elements<RosterDivision?>(RosterDivision.Day, RosterDivision.Day, RosterDivision.Continuing, RosterDivision.Continuing, null);
        var outcome = from student in Gen.Choose(0, 5)
                      from certified in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
                      from selectedFor in Gen.Elements(0, 113, 113, 113, 113, 114)
                      from kind in Gen.Elements(Enum.GetValues<CourseOutcomeKind>())
                      from knownCourse in Gen.Frequency((6, Gen.Constant(true)), (1, Gen.Constant(false)))
                      from missingFact in Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, 3)))
                      from file in Gen.Choose(0, 4)
                      select new GeneratedOutcome(student, certified, selectedFor, kind, knownCourse, missingFact, file);
        return from divisions in Gen.ArrayOf(division, 5)
               from count in Gen.Choose(0, 14)
               from outcomes in Gen.ArrayOf(outcome, count)
               select new GeneratedStore(divisions, outcomes);
    }

    [Fact]
    public void EveryItem_IsInExactlyOnePackage_PackagedOrLeftOutWithTheExpectedCode_OverRandomStoresAndDirectories_Sqlite() =>
        Prop.ForAll(Stores().ToArbitrary(), store => Accounted("sqlite", store)).Check(Config.QuickThrowOnFailure.WithMaxTest(25));

    [Fact]
    public void EveryItem_IsInExactlyOnePackage_PackagedOrLeftOutWithTheExpectedCode_OverRandomStoresAndDirectories_Postgres()
    {
        Portfolio.Sdk.Testing.TestDatabase.PostgresConnectionStringOrSkip();
        Prop.ForAll(Stores().ToArbitrary(), store => Accounted("postgres", store)).Check(Config.QuickThrowOnFailure.WithMaxTest(8));
    }

    private static bool Accounted(string provider, GeneratedStore store) => Task.Run(() => AccountedAsync(provider, store)).GetAwaiter().GetResult();

    // The facts a kind needs, one of which a generated directory may drop (MissingFact picks which; beyond the kind's
    // facts, the subject name).
    private static YearPackageCourse Drop(YearPackageCourse facts, CourseOutcomeKind kind, int missing)
    {
        var needed = kind switch
        {
            CourseOutcomeKind.MakeupCourse => new Func<YearPackageCourse, YearPackageCourse>[] { c => c with { DueTerm = null }, c => c with { Method = null } },
            CourseOutcomeKind.Retake => [c => c with { OriginalTerm = null }, c => c with { OriginalCourseCode = null }, c => c with { Method = null }],
            CourseOutcomeKind.Transfer => [c => c with { OriginalSchool = null }, c => c with { OriginalTerm = null }, c => c with { OriginalCourseCode = null }],
            CourseOutcomeKind.Visiting => [c => c with { VisitingSchool = null }],
            _ => [],
        };
        return missing < 0 ? facts : missing < needed.Length ? needed[missing](facts) : facts with { SubjectName = " " };
    }

    private static async Task<bool> AccountedAsync(string provider, GeneratedStore store)
    {
        await using var f = await OpenAsync(provider);
        var good = await PutAsync(f, PdfBytes("one"));
        var other = await PutAsync(f, PdfBytes("two"));
        var missing = new string('b', 64);
        var directory = new KindDirectory();
        for (var s = 0; s < 5; s++)
        {
            directory.Ids[KeyOf(s)] = IdOf(s + 1);
            directory.Divisions[KeyOf(s)] = store.Divisions[s];
        }

        // Every item has its own course code, so no two rows share a sheet's key. The expected package: the day one
        // until the student's division is known.
        var expected = new Dictionary<Guid, (bool Continuing, string? Code)>();
        foreach (var (g, i) in store.Outcomes.Select((g, i) => (g, i + 1)))
        {
            var files = g.File switch { 0 => [], 1 => [good], 2 => [other], 3 => [missing], _ => new[] { good, other } };
            var outcome = Outcome(i, g.Kind, files) with
            {
                StudentKey = KeyOf(g.Student),
                State = g.Certified ? CertificationState.Certified : CertificationState.Pending,
                SelectedFor = g.SelectedFor == 0 ? null : new SchoolYear(g.SelectedFor),
            };
            await f.Store.AddAsync(outcome, Submitter);
            if (g.KnownCourse)
            {
                directory.Courses[(outcome.StudentKey, g.Kind, Term1, outcome.CourseCode)] = Drop(FullFacts(i), g.Kind, g.MissingFact);
            }

            if (g.SelectedFor == 0)
            {
                continue;
            }

            var division = g.Student < 5 ? store.Divisions[g.Student] : null;
            var continuing = g.SelectedFor == 113 && g.Certified && g.Student < 5 && division == RosterDivision.Continuing;
            var factMissing = g.MissingFact >= 0;
            var code = g.SelectedFor != 113 ? DiagnosticCodes.YearPackageSelectedForAnotherYear
                : !g.Certified ? DiagnosticCodes.YearPackageNotCertified
                : g.Student == 5 ? DiagnosticCodes.YearPackageStudentUnresolved
                : division is null ? DiagnosticCodes.YearPackageDivisionUnresolved
                : continuing && g.Kind is CourseOutcomeKind.MakeupCourse or CourseOutcomeKind.Retake or CourseOutcomeKind.RepeatYear ? DiagnosticCodes.YearPackageNoContinuingSheet
                : !g.KnownCourse ? DiagnosticCodes.YearPackageCourseUnresolved
                : factMissing ? DiagnosticCodes.YearPackageCourseFactMissing
                : g.File == 0 ? DiagnosticCodes.YearPackageEvidenceUnusable
                : g.File == 3 ? DiagnosticCodes.YearPackageEvidenceMissing
                : null;
            expected[outcome.Id] = (continuing, code);
        }

        using var dayOutput = new MemoryStream();
        using var continuingOutput = new MemoryStream();
        var packages = (await new YearPackageBuilder(f.Module, directory).WriteCourseOutcomesAsync(Submitter, School, Year, dayOutput, continuingOutput)).Value!;
        packages.Considered.ShouldBe(expected.Count);
        var seen = new HashSet<Guid>();
        foreach (var (package, continuingBook) in new[] { (packages.Day, false), (packages.Continuing, true) })
        {
            foreach (var packaged in package.Packaged)
            {
                seen.Add(packaged.Id).ShouldBeTrue("an item is in two packages' accounting");
                expected[packaged.Id].ShouldBe((continuingBook, null));
            }

            foreach (var leftOut in package.LeftOut)
            {
                seen.Add(leftOut.Id).ShouldBeTrue("an item is in two packages' accounting");
                leftOut.Diagnostics.ShouldNotBeEmpty();
                leftOut.Diagnostics[0].Location!.Path.ShouldBe($"items/{leftOut.Id:D}");
                expected[leftOut.Id].ShouldBe((continuingBook, leftOut.Diagnostics[0].Code));
            }
        }

        seen.Count.ShouldBe(expected.Count);
        Verify(dayOutput.ToArray()).Count.ShouldBe(packages.Day.Packaged.Count);
        Verify(continuingOutput.ToArray()).Count.ShouldBe(packages.Continuing.Packaged.Count);
        return true;
    }

    private sealed class KindDirectory : IYearPackageDirectory
    {
        public Dictionary<string, NationalId> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, RosterDivision?> Divisions { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string, CourseOutcomeKind, SchoolTerm, CourseCode), YearPackageCourse> Courses { get; } = [];

        public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<NationalId?>(Ids.TryGetValue(studentKey, out var id) ? id : null);

        // The per-term look-up is not used by the builder once the kind's is implemented.
        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The builder asks for the kind's facts.");

        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, CourseOutcomeKind kind, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Courses.GetValueOrDefault((studentKey, kind, term, courseCode)));

        public ValueTask<RosterDivision?> FindDivisionAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Divisions.GetValueOrDefault(studentKey, RosterDivision.Day));
    }

    // A vendor's directory written before the kinds: only the required members.
    private sealed class MinimalDirectory : IYearPackageDirectory
    {
        public Dictionary<string, NationalId> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string, SchoolTerm, CourseCode), YearPackageCourse> Courses { get; } = [];

        public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<NationalId?>(Ids.TryGetValue(studentKey, out var id) ? id : null);

        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Courses.GetValueOrDefault((studentKey, term, courseCode)));
    }
}
