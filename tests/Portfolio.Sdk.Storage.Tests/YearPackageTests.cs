using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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

/// <summary>The per-year packages from the module store: every cell and file, every item accounted for, the lock after submission.</summary>
public sealed class YearPackageTests
{
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    private static readonly PortfolioActor Submitter = new("staff-sub", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter, PortfolioRole.PerformanceSubmitter });

    private static readonly CourseCode OtherCourse = CourseCode.Parse("113060322H1110101020101");

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static NationalId IdOf(int i)
    {
        var nine = $"A1{i:0000000}";
        return NationalId.Parse(nine + NationalId.ComputeCheckDigit(nine));
    }

    private static string KeyOf(int i) => $"S{i:000000}";

    private static byte[] PdfBytes(string text) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    private static async Task<string> PutAsync(ModuleFixture f, byte[] content) =>
        (await new FileSystemContentStore(f.FilesRoot).PutAsync(new MemoryStream(content), Token)).Sha256;

    private static CourseOutcome Outcome(Guid id, string key, IReadOnlyList<string> files, CertificationState state = CertificationState.Certified, SchoolYear? selectedFor = null, CourseOutcomeKind kind = CourseOutcomeKind.Semester, CourseCode? course = null, long version = 3) => new()
    {
        Id = id,
        StudentKey = key,
        ClassName = "101",
        Term = Term1,
        CourseCode = course ?? MathCourse,
        Kind = kind,
        Summary = "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。",
        CertifyingTeacher = "t-math",
        State = state,
        SelectedFor = selectedFor ?? Year,
        FileHashes = files,
        Version = version,
    };

    private static async Task<List<(string Sheet, IReadOnlyList<string?> Cells)>> VerifyAsync(byte[] package)
    {
        var rows = new List<(string, IReadOnlyList<string?>)>();
        var report = new RosterPackageVerifier().Verify(new MemoryStream(package), "year.zip", r => rows.Add((r.Layout.Sheet.Id, [.. r.Values])), Token);
        report.HasErrors.ShouldBeFalse(string.Join("; ", report.Diagnostics.Select(d => d.ToString())));
        await Task.CompletedTask;
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
    public async Task CourseOutcomes_ArePackagedCellByCell_WithTheirFiles_AndTheSameBytesTwice(string provider)
    {
        await using var f = await OpenAsync(provider);
        var certified = await f.CertifiedOutcomeAsync();
        var selected = (await f.Module.SelectCourseOutcomeAsync(Student, certified.Id, certified.Version, Year, Token)).Value!;
        var directory = new MapDirectory();
        directory.Ids[StudentKey] = IdOf(1);
        directory.Courses[(StudentKey, Term1, MathCourse)] = new YearPackageCourse("數學", 1, 4);
        var builder = new YearPackageBuilder(f.Module, directory);

        using var first = new MemoryStream();
        var result = await builder.WriteCourseOutcomesAsync(Submitter, School, Year, first, Token);
        result.Succeeded.ShouldBeTrue(result.ToString());
        result.Value.Packaged.ShouldBe([new YearPackageItem(selected.Id, selected.Version)]);
        result.Value.LeftOut.ShouldBeEmpty();
        result.Value.Manifest.SchoolYear.ShouldBe(113);
        result.Value.Manifest.Term.ShouldBe(0);

        var rows = await VerifyAsync(first.ToArray());
        var (sheet, cells) = rows.ShouldHaveSingleItem();
        sheet.ShouldBe("outcome-semester");
        var layout = RosterCatalogue.Default["course-outcomes"].FindSheet(sheet)!.LayoutFor(Year);
        string? Cell(string key) => cells[layout.IndexOf(key)];
        Cell("nationalId").ShouldBe(IdOf(1).Value);
        Cell("actualTerm").ShouldBe("1131");
        Cell("courseCode").ShouldBe(MathCourse.Value);
        Cell("subjectName").ShouldBe("數學");
        Cell("gradeLevel").ShouldBe("1");
        Cell("credits").ShouldBe("4");
        Cell("summary").ShouldBe(selected.Summary);
        var hash = selected.FileHashes.ShouldHaveSingleItem();
        Cell("documentLink").ShouldBe($"files/{hash}.pdf");
        var stored = await File.ReadAllBytesAsync(Directory.EnumerateFiles(f.FilesRoot, hash + "*", SearchOption.AllDirectories).Single(), Token);
        var packagedFile = Entry(first.ToArray(), $"files/{hash}.pdf");
        packagedFile.ShouldBe(stored);
#pragma warning disable CA5351 // the roster's MD5 column is the central database's format, checked here
        Cell("documentMd5").ShouldBe(Convert.ToHexStringLower(MD5.HashData(stored)));
#pragma warning restore CA5351
        Cell("mediaLink").ShouldBeNull();

        // The same store content gives the same bytes.
        using var second = new MemoryStream();
        (await builder.WriteCourseOutcomesAsync(Submitter, School, Year, second, Token)).Succeeded.ShouldBeTrue();
        second.ToArray().ShouldBe(first.ToArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryItemLeftOut_HasItsOwnDiagnostic_NamingItWithoutTheUnmaskedKey(string provider)
    {
        await using var f = await OpenAsync(provider);
        var directory = new MapDirectory();
        var good = await PutAsync(f, PdfBytes("good"));
        var corrupted = await PutAsync(f, PdfBytes("corrupted"));
        var missing = await PutAsync(f, PdfBytes("missing"));
        var text = await PutAsync(f, Encoding.ASCII.GetBytes("just some text, not a document"));
        foreach (var path in Directory.EnumerateFiles(f.FilesRoot, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(path).StartsWith(corrupted, StringComparison.Ordinal))
            {
                await File.WriteAllBytesAsync(path, PdfBytes("tampered"), Token);
            }
            else if (Path.GetFileName(path).StartsWith(missing, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        var cases = new (string Key, CourseOutcome Outcome, string? Code)[]
        {
            ("S900001", Outcome(Guid.NewGuid(), "S900001", [good]), null),
            ("S900002", Outcome(Guid.NewGuid(), "S900002", [good], state: CertificationState.Pending), DiagnosticCodes.YearPackageNotCertified),
            ("S900003", Outcome(Guid.NewGuid(), "S900003", [good], selectedFor: new SchoolYear(114)), DiagnosticCodes.YearPackageSelectedForAnotherYear),
            ("S900004", Outcome(Guid.NewGuid(), "S900004", [good], kind: (CourseOutcomeKind)99), DiagnosticCodes.YearPackageKindNotPackaged),
            ("S900005", Outcome(Guid.NewGuid(), "S900005", [good]), DiagnosticCodes.YearPackageStudentUnresolved),
            ("S900006", Outcome(Guid.NewGuid(), "S900006", [good], course: OtherCourse), DiagnosticCodes.YearPackageCourseUnresolved),
            ("S900007", Outcome(Guid.NewGuid(), "S900007", [corrupted]), DiagnosticCodes.YearPackageEvidenceMissing),
            ("S900008", Outcome(Guid.NewGuid(), "S900008", [missing]), DiagnosticCodes.YearPackageEvidenceMissing),
            ("S900009", Outcome(Guid.NewGuid(), "S900009", []), DiagnosticCodes.YearPackageEvidenceUnusable),
            ("S900010", Outcome(Guid.NewGuid(), "S900010", [text]), DiagnosticCodes.YearPackageEvidenceUnusable),
            ("S900011", Outcome(Guid.NewGuid(), "S900011", [good, good, good]), DiagnosticCodes.YearPackageTooManyFiles),
            ("S900012", Outcome(Guid.NewGuid(), "S900012", [good]) with { Summary = new string('長', 101) }, DiagnosticCodes.YearPackageRowInvalid),
        };
        var n = 0;
        foreach (var (key, outcome, _) in cases)
        {
            n++;
            await f.Store.AddAsync(outcome, Submitter, Token);
            if (key != "S900005")
            {
                directory.Ids[key] = IdOf(n);
            }

            directory.Courses[(key, Term1, MathCourse)] = new YearPackageCourse("數學", 1, 4);
        }

        // Not considered: not selected at all, and an outcome of another year selected for another year.
        await f.Store.AddAsync(Outcome(Guid.NewGuid(), "S900013", [good]) with { SelectedFor = null }, Submitter, Token);
        await f.Store.AddAsync(Outcome(Guid.NewGuid(), "S900014", [good]) with { Term = SchoolTerm.Parse("112-1"), SelectedFor = new SchoolYear(112) }, Submitter, Token);

        using var output = new MemoryStream();
        var result = (await new YearPackageBuilder(f.Module, directory).WriteCourseOutcomesAsync(Submitter, School, Year, output, Token)).Value!;
        result.Considered.ShouldBe(cases.Length);
        result.Packaged.Select(p => p.Id).ShouldBe([cases[0].Outcome.Id]);
        foreach (var (key, outcome, code) in cases.Skip(1))
        {
            var leftOut = result.LeftOut.Single(l => l.Id == outcome.Id);
            leftOut.Diagnostics[0].Code.ShouldBe(code, key);
            leftOut.Diagnostics[0].Message.ShouldContain(outcome.Id.ToString("D"));
            leftOut.Diagnostics[0].MessageEnglish.ShouldContain(outcome.Id.ToString("D"));
        }

        result.Diagnostics.ShouldAllBe(d => !d.Message.Contains("S9000") && !d.MessageEnglish.Contains("S9000") && !d.ToString().Contains("S9000"));
        result.Diagnostics.ShouldAllBe(d => Enumerable.Range(1, cases.Length).All(i => !d.ToString().Contains(IdOf(i).Value)));

        // Only the packaged item's file is in the package: a refused row leaves nothing behind.
        (await VerifyAsync(output.ToArray())).Count.ShouldBe(1);
        result.Manifest.Files.Select(x => x.Sha256).ShouldBe([good]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Performances_ArePackagedOnTheirCategorysSheet_CellByCell(string provider)
    {
        await using var f = await OpenAsync(provider);
        var proof = await PutAsync(f, PdfBytes("proof"));
        var fields = JsonSerializer.Serialize(new Dictionary<string, object?> { ["competitionName"] = "全國科學展覽會", ["event"] = "化學組", ["competitionLevel"] = "1", ["award"] = "佳作", ["announcedDate"] = "2024/09/20" });
        var item = new PerformanceItem
        {
            Id = Guid.NewGuid(), StudentKey = StudentKey, ClassName = "101", Category = "performance-competition", Date = new DateOnly(2024, 9, 20), FieldsJson = fields,
            Summary = "全國科展化學組：我負責實驗設計與數據分析。", FileHashes = [proof], SelectedFor = Year, Version = 2,
        };
        await f.Store.AddAsync(item, Submitter, Token);
        var unknownSheet = item with { Id = Guid.NewGuid(), Category = "performance-nonsense" };
        var badFields = item with { Id = Guid.NewGuid(), FieldsJson = """{"nationalId":"A123456789"}""" };
        var schoolEntered = item with { Id = Guid.NewGuid(), IsSchoolEntered = true };
        foreach (var other in new[] { unknownSheet, badFields, schoolEntered })
        {
            await f.Store.AddAsync(other, Submitter, Token);
        }

        var directory = new MapDirectory();
        directory.Ids[StudentKey] = IdOf(7);
        using var output = new MemoryStream();
        var builder = new YearPackageBuilder(f.Module, directory);
        var result = (await builder.WritePerformancesAsync(Submitter, School, Year, output, Token)).Value!;
        result.Packaged.ShouldBe([new YearPackageItem(item.Id, 2)]);
        result.LeftOut.Select(l => (l.Id, l.Diagnostics[0].Code)).OrderBy(x => x.Id).ShouldBe(new[] { (unknownSheet.Id, DiagnosticCodes.YearPackageKindNotPackaged), (badFields.Id, DiagnosticCodes.YearPackageKindNotPackaged) }.OrderBy(x => x.Id));

        var (sheet, cells) = (await VerifyAsync(output.ToArray())).ShouldHaveSingleItem();
        sheet.ShouldBe("performance-competition");
        var layout = RosterCatalogue.Default["performances"].FindSheet(sheet)!.LayoutFor(Year);
        cells.ShouldBe(layout.Columns.Select(c => c.Key switch
        {
            "nationalId" => IdOf(7).Value,
            "competitionName" => "全國科學展覽會",
            "event" => "化學組",
            "competitionLevel" => "1",
            "award" => "佳作",
            "announcedDate" => "2024/09/20",
            "summary" => item.Summary,
            "proofLink" => $"files/{proof}.pdf",
            "proofMd5" => result.Manifest.Files.Single().Md5,
            _ => null,
        }));

        // The same bytes again, and once submitted the packaged record is locked (the school-entered one is not touched).
        using var again = new MemoryStream();
        (await builder.WritePerformancesAsync(Submitter, School, Year, again, Token)).Succeeded.ShouldBeTrue();
        again.ToArray().ShouldBe(output.ToArray());
        var locked = (await builder.LockSubmittedAsync(PerformanceStaff, result, Token)).Value!;
        (locked.Locked, locked.AlreadyLocked, locked.Refused.Count).ShouldBe((1, 0, 0));
        (await f.Store.GetPerformanceAsync(item.Id, Token))!.IsLocked.ShouldBeTrue();
        (await f.Store.GetPerformanceAsync(schoolEntered.Id, Token))!.IsLocked.ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AfterSubmission_PackagedItemsAreLocked_Idempotently_AndAChangedItemIsNot(string provider)
    {
        await using var f = await OpenAsync(provider);
        var good = await PutAsync(f, PdfBytes("lock"));
        var directory = new MapDirectory();
        var outcomes = Enumerable.Range(1, 3).Select(i => Outcome(Guid.NewGuid(), KeyOf(i), [good])).ToList();
        foreach (var (o, i) in outcomes.Select((o, i) => (o, i + 1)))
        {
            await f.Store.AddAsync(o, Submitter, Token);
            directory.Ids[o.StudentKey] = IdOf(i);
            directory.Courses[(o.StudentKey, Term1, MathCourse)] = new YearPackageCourse("數學", 1, 4);
        }

        var builder = new YearPackageBuilder(f.Module, directory);
        var package = (await builder.WriteCourseOutcomesAsync(Submitter, School, Year, new MemoryStream(), Token)).Value!;
        package.Packaged.Count.ShouldBe(3);

        // The third changes after it was packaged: what the store holds is no longer what was submitted.
        var changed = (await f.Store.SaveAsync(outcomes[2], outcomes[2] with { Summary = outcomes[2].Summary + "（修改）", Version = 4 }, Submitter, "test.edit", Token)).Value!;

        var locked = (await builder.LockSubmittedAsync(Submitter, package, Token)).Value!;
        locked.Locked.ShouldBe(2);
        locked.AlreadyLocked.ShouldBe(0);
        locked.Refused.Single().Id.ShouldBe(changed.Id);
        locked.Refused.Single().Diagnostics[0].Code.ShouldBe(DiagnosticCodes.YearPackageLockRefused);
        (await f.Store.GetAsync(outcomes[0].Id, Token))!.IsLocked.ShouldBeTrue();
        (await f.Store.GetAsync(outcomes[1].Id, Token))!.IsLocked.ShouldBeTrue();
        (await f.Store.GetAsync(changed.Id, Token))!.IsLocked.ShouldBeFalse();

        var again = (await builder.LockSubmittedAsync(Submitter, package, Token)).Value!;
        again.Locked.ShouldBe(0);
        again.AlreadyLocked.ShouldBe(2);
        (await f.Store.GetAsync(outcomes[0].Id, Token))!.Version.ShouldBe(4);

        // A locked item is still packaged when the year is rebuilt (a resubmission), and locking it again is a no-op.
        var rebuilt = (await builder.WriteCourseOutcomesAsync(Submitter, School, Year, new MemoryStream(), Token)).Value!;
        rebuilt.Packaged.Count.ShouldBe(3);
        (await builder.LockSubmittedAsync(Submitter, rebuilt, Token)).Value!.AlreadyLocked.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task WithoutTheSubmitPermission_NothingIsWrittenOrLocked(string provider)
    {
        await using var f = await OpenAsync(provider);
        var builder = new YearPackageBuilder(f.Module, new MapDirectory());
        using var output = new MemoryStream();
        foreach (var actor in new[] { Student, MathTeacher, CadreStaff })
        {
            var outcomes = await builder.WriteCourseOutcomesAsync(actor, School, Year, output, Token);
            outcomes.Succeeded.ShouldBeFalse();
            outcomes.Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
            (await builder.WritePerformancesAsync(actor, School, Year, output, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        }

        // Each package needs its own submitter.
        (await builder.WritePerformancesAsync(CourseStaff, School, Year, output, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await builder.WriteCourseOutcomesAsync(PerformanceStaff, School, Year, output, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        output.Length.ShouldBe(0);

        var package = (await builder.WriteCourseOutcomesAsync(CourseStaff, School, Year, new MemoryStream(), Token)).Value!;
        (await builder.LockSubmittedAsync(Student, package, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await builder.LockSubmittedAsync(PerformanceStaff, package, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
    }

    // ---------------------------------------------------------------- the accounting invariant over random store contents

    // Student 4 is unknown to the directory; a course is known or not; file 0 none, 1–2 one good file, 3 missing, 4 two good files.
    private sealed record GeneratedOutcome(int Student, bool Certified, int SelectedFor, bool Semester, bool KnownCourse, int File);

    private static Gen<GeneratedOutcome[]> Outcomes()
    {
        var outcome = from student in Gen.Choose(0, 4)
                      from certified in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
                      from selectedFor in Gen.Elements(0, 113, 113, 113, 114)
                      from semester in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
                      from knownCourse in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
                      from file in Gen.Choose(0, 4)
                      select new GeneratedOutcome(student, certified, selectedFor, semester, knownCourse, file);
        return from count in Gen.Choose(0, 12)
               from outcomes in Gen.ArrayOf(outcome, count)
               select outcomes;
    }

    [Fact]
    public void ItemsConsidered_ArePackagedOrLeftOutWithTheExpectedCode_OverRandomStores_Sqlite() =>
        Prop.ForAll(Outcomes().ToArbitrary(), outcomes => Accounted("sqlite", outcomes)).Check(Config.QuickThrowOnFailure.WithMaxTest(25));

    [Fact]
    public void ItemsConsidered_ArePackagedOrLeftOutWithTheExpectedCode_OverRandomStores_Postgres()
    {
        Portfolio.Sdk.Testing.TestDatabase.PostgresConnectionStringOrSkip();
        Prop.ForAll(Outcomes().ToArbitrary(), outcomes => Accounted("postgres", outcomes)).Check(Config.QuickThrowOnFailure.WithMaxTest(8));
    }

    private static bool Accounted(string provider, GeneratedOutcome[] outcomes) => Task.Run(() => AccountedAsync(provider, outcomes)).GetAwaiter().GetResult();

    private static async Task<bool> AccountedAsync(string provider, GeneratedOutcome[] generated)
    {
        await using var f = await OpenAsync(provider);
        var good = await PutAsync(f, PdfBytes("one"));
        var other = await PutAsync(f, PdfBytes("two"));
        var missing = new string('a', 64);
        var directory = new MapDirectory();
        for (var s = 0; s < 4; s++)
        {
            directory.Ids[KeyOf(s)] = IdOf(s + 1);
            directory.Courses[(KeyOf(s), Term1, MathCourse)] = new YearPackageCourse("數學", 1, 4);
        }

        // The expected account, in the order the builder reads (student, course, id): a student's second packaged row of
        // the same course repeats the sheet's key (身分證號, 課程代碼), and the roster checks refuse it.
        var expected = new Dictionary<Guid, string?>();
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (g, i) in generated.Select((g, i) => (g, i)).OrderBy(x => x.g.Student).ThenBy(x => x.g.KnownCourse ? 0 : 1).ThenBy(x => x.i))
        {
            var key = KeyOf(g.Student);
            var files = g.File switch { 0 => [], 1 => [good], 2 => [other], 3 => [missing], _ => new[] { good, other } };
            var outcome = Outcome(new Guid(i + 1, 0, 0, new byte[8]), key, files, g.Certified ? CertificationState.Certified : CertificationState.Pending,
                kind: g.Semester ? CourseOutcomeKind.Semester : CourseOutcomeKind.Retake, course: g.KnownCourse ? MathCourse : OtherCourse) with { SelectedFor = g.SelectedFor == 0 ? null : new SchoolYear(g.SelectedFor) };
            await f.Store.AddAsync(outcome, Submitter);
            if (g.SelectedFor == 0)
            {
                continue;
            }

            var code = g.SelectedFor != 113 ? DiagnosticCodes.YearPackageSelectedForAnotherYear
                : !g.Certified ? DiagnosticCodes.YearPackageNotCertified
                : g.Student == 4 ? DiagnosticCodes.YearPackageStudentUnresolved
                : !g.KnownCourse || !g.Semester ? DiagnosticCodes.YearPackageCourseUnresolved
                : g.File == 0 ? DiagnosticCodes.YearPackageEvidenceUnusable
                : g.File == 3 ? DiagnosticCodes.YearPackageEvidenceMissing
                : !rowKeys.Add(key) ? DiagnosticCodes.YearPackageRowInvalid
                : null;
            expected[outcome.Id] = code;
        }

        using var output = new MemoryStream();
        var package = (await new YearPackageBuilder(f.Module, directory).WriteCourseOutcomesAsync(Submitter, School, Year, output)).Value!;
        package.Considered.ShouldBe(expected.Count);
        package.Packaged.Select(p => p.Id).Order().ShouldBe(expected.Where(e => e.Value is null).Select(e => e.Key).Order());
        foreach (var leftOut in package.LeftOut)
        {
            leftOut.Diagnostics.ShouldNotBeEmpty();
            leftOut.Diagnostics[0].Code.ShouldBe(expected[leftOut.Id]);
        }

        var rows = await VerifyAsync(output.ToArray());
        rows.Count.ShouldBe(package.Packaged.Count);
        return true;
    }

    // The row each packaged item became is recorded at lock, by the SHA-256 of the key a receipt names it by; an upheld
    // dispute on that row unlocks the item once, with the dispute as reference; other rows and other roles are answered.
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LockedPackageRows_LeadAnUpheldDispute_ToItsItem_Once(string provider)
    {
        await using var f = await OpenAsync(provider);
        var certified = await f.CertifiedOutcomeAsync();
        var selected = (await f.Module.SelectCourseOutcomeAsync(Student, certified.Id, certified.Version, Year, Token)).Value!;
        var directory = new MapDirectory();
        directory.Ids[StudentKey] = IdOf(1);
        directory.Courses[(StudentKey, Term1, MathCourse)] = new YearPackageCourse("數學", 1, 4);
        var builder = new YearPackageBuilder(f.Module, directory);
        using var output = new MemoryStream();
        var package = (await builder.WriteCourseOutcomesAsync(Submitter, School, Year, output, Token)).Value!;
        var (sheet, cells) = (await VerifyAsync(output.ToArray())).ShouldHaveSingleItem();
        var layout = RosterCatalogue.Default["course-outcomes"].FindSheet(sheet)!.LayoutFor(Year);
        var rowKey = string.Join('|', layout.Sheet.KeyColumns.Select(k => cells[layout.IndexOf(k)]?.Trim() ?? string.Empty));
        rowKey.ShouldContain(IdOf(1).Value);                                              // the key holds the 身分證號 …
        package.Rows.ShouldBe([new YearPackageRow(selected.Id, sheet, YearPackageRow.HashOf(rowKey))]);
        package.Rows[0].ToString().ShouldNotContain(IdOf(1).Value);                       // … only its hash is kept

        var wholeYear = new SchoolTerm(Year, Term.WholeYear);
        var reference = new ReceiptRowReference("course-outcomes", wholeYear, sheet, rowKey, "k-113#0");
        reference.ToString().ShouldNotContain(IdOf(1).Value);
        (await f.Module.UnlockForCorrectionAsync(Submitter, reference, Token)).Value!.Outcome.ShouldBe(ReceiptRowUnlockOutcome.NoItem);   // not locked yet: no rows recorded
        (await builder.LockSubmittedAsync(Submitter, package, Token)).Value!.Locked.ShouldBe(1);
        (await builder.LockSubmittedAsync(Submitter, package, Token)).Value!.AlreadyLocked.ShouldBe(1);                                 // rows recorded again, no duplicate

        var cadre = new PortfolioActor("staff-cadre", new HashSet<PortfolioRole> { PortfolioRole.CadreSubmitter });
        (await f.Module.UnlockForCorrectionAsync(cadre, reference, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        var unlocked = await f.Module.UnlockForCorrectionAsync(Submitter, reference, Token);
        unlocked.Value.ShouldBe(new ReceiptRowUnlock(ReceiptRowUnlockOutcome.Unlocked, ReceiptRowItemKind.CourseOutcome, selected.Id, selected.Version + 2));
        (await f.Module.Store.GetAsync(selected.Id, Token))!.IsLocked.ShouldBeFalse();
        (await f.Module.UnlockForCorrectionAsync(Submitter, reference, Token)).Value!.Outcome.ShouldBe(ReceiptRowUnlockOutcome.NotLocked);

        // Rows that no package item became: another key, another sheet, another year, another book.
        (await f.Module.UnlockForCorrectionAsync(Submitter, reference with { RowKey = rowKey + "0" }, Token)).Value!.Outcome.ShouldBe(ReceiptRowUnlockOutcome.NoItem);
        (await f.Module.UnlockForCorrectionAsync(Submitter, reference with { Sheet = "outcome-makeup" }, Token)).Value!.Outcome.ShouldBe(ReceiptRowUnlockOutcome.NoItem);
        (await f.Module.UnlockForCorrectionAsync(Submitter, reference with { Term = new SchoolTerm(new SchoolYear(112), Term.WholeYear) }, Token)).Value!.Outcome.ShouldBe(ReceiptRowUnlockOutcome.NoItem);
        (await f.Module.UnlockForCorrectionAsync(Submitter, reference with { Book = "grades", Sheet = "semester-grades" }, Token)).Value!.Outcome.ShouldBe(ReceiptRowUnlockOutcome.NoItem);

        var audit = new List<Audit.AuditEntry>();
        await foreach (var entry in f.Module.Store.ReadAuditAsync(Token))
        {
            audit.Add(entry);
        }

        audit.Count(e => e.Action == "course-outcome.unlock").ShouldBe(1);
    }

    private sealed class MapDirectory : IYearPackageDirectory
    {
        public Dictionary<string, NationalId> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string, SchoolTerm, CourseCode), YearPackageCourse> Courses { get; } = [];

        public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<NationalId?>(Ids.TryGetValue(studentKey, out var id) ? id : null);

        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Courses.GetValueOrDefault((studentKey, term, courseCode)));
    }
}
