using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Transfer;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>歷程交換 through the module: export, import as the sending school's history, read-only, idempotent, on SQLite and PostgreSQL.</summary>
public sealed class TransferTests
{
    public const string ReceivingKey = "T000009";

    public static readonly NationalId StudentId = NationalId.Parse("A123456789");

    public static readonly PortfolioActor Administrator = new("admin", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TransferExportRequest ExportOf(string studentKey) => new()
    {
        StudentKey = studentKey, NationalId = StudentId, Name = "王小明", BirthDate = new DateOnly(2007, 5, 1), SchoolCode = SchoolCode.Parse("193301"), Term = Term1,
    };

    public static TransferImportRequest ImportOf(string studentKey = ReceivingKey) => new() { StudentKey = studentKey, NationalId = StudentId, ClassName = "205" };

    public static async Task<byte[]> ExportAsync(PortfolioModule module, string studentKey)
    {
        using var output = new MemoryStream();
        var exported = await module.ExportTransferAsync(Administrator, ExportOf(studentKey), output, Token);
        exported.Succeeded.ShouldBeTrue(exported.ToString());
        return output.ToArray();
    }

    public static async Task<TransferImportReport> ImportAsync(PortfolioModule module, byte[] package, string studentKey = ReceivingKey)
    {
        var imported = await module.ImportTransferAsync(Administrator, ImportOf(studentKey), new MemoryStream(package), Token);
        imported.Succeeded.ShouldBeTrue(imported.ToString());
        var report = imported.Value;
        report.RecordsRead.ShouldBe(report.Added + report.AlreadyPresent + report.LeftOut);
        return report;
    }

    // The sending school's portfolio of one student: a certified outcome (with a credited course), a draft, a
    // 多元表現 with proof, and a school-entered cadre record.
    private static async Task SeedAsync(ModuleFixture sending)
    {
        await sending.CertifiedOutcomeAsync();
        (await sending.Module.UploadCourseOutcomeAsync(Student, Outcome(term: SchoolTerm.Parse("113-2")) with { Kind = CourseOutcomeKind.Retake }, Token)).Succeeded.ShouldBeTrue();
        (await sending.Module.UploadPerformanceAsync(Student, Performance(), Token)).Succeeded.ShouldBeTrue();
        (await sending.Module.UploadPerformanceAsync(CadreStaff, Performance(proof: false) with { Category = "performance-cadre", IsSchoolEntered = true, Summary = null, FieldsJson = """{"擔任職務":"班長"}""" }, Token)).Succeeded.ShouldBeTrue();
    }

    private static async Task<List<CourseOutcome>> OutcomesAsync(PortfolioModule module, PortfolioActor actor, string studentKey = ReceivingKey)
    {
        var list = new List<CourseOutcome>();
        await foreach (var o in module.ListCourseOutcomesAsync(actor, studentKey, Year, null, Token))
        {
            list.Add(o);
        }

        return list;
    }

    private static async Task<List<PerformanceItem>> PerformancesAsync(PortfolioModule module, PortfolioActor actor, string studentKey = ReceivingKey)
    {
        var list = new List<PerformanceItem>();
        await foreach (var p in module.ListPerformancesAsync(actor, studentKey, Year, Token))
        {
            list.Add(p);
        }

        return list;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ExportImportExport_GivesTheSameBytes_AndTheStudentSeesTheSendingSchoolsHistory(string provider)
    {
        await using var sending = await OpenAsync(provider);
        await SeedAsync(sending);
        var first = await ExportAsync(sending.Module, StudentKey);
        (await ExportAsync(sending.Module, StudentKey)).ShouldBe(first);

        await using var receiving = await OpenAsync(provider);
        var report = await ImportAsync(receiving.Module, first);
        report.SendingSchool.ShouldBe("193301");
        (report.RecordsRead, report.Added, report.AlreadyPresent, report.LeftOut).ShouldBe((4, 4, 0, 0));

        (await ExportAsync(receiving.Module, ReceivingKey)).ShouldBe(first);

        var student = StudentActor(ReceivingKey);
        var outcomes = await OutcomesAsync(receiving.Module, student);
        outcomes.Count.ShouldBe(2);
        outcomes.ShouldAllBe(o => o.TransferredFrom == "193301" && o.ClassName == "205");
        outcomes.Single(o => o.Term.Term == Term.First).State.ShouldBe(CertificationState.Certified);
        outcomes.Single(o => o.Term.Term == Term.Second).Kind.ShouldBe(CourseOutcomeKind.Retake);
        var performances = await PerformancesAsync(receiving.Module, student);
        performances.Count.ShouldBe(2);
        performances.Single(p => p.IsSchoolEntered).FieldsJson.ShouldNotBeNull().ShouldContain("班長");
        var proof = performances.Single(p => !p.IsSchoolEntered).FileHashes.ShouldHaveSingleItem();
        new Portfolio.Sdk.Files.FileSystemContentStore(receiving.FilesRoot).LengthOf(proof).ShouldNotBeNull();

        // Staff of the receiving school see them too; another student does not.
        (await OutcomesAsync(receiving.Module, CourseStaff)).Count.ShouldBe(2);
        (await OutcomesAsync(receiving.Module, OtherStudent)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TransferredItems_AreNeverEditedOrCertified_ButTheStudentMaySelectThem(string provider)
    {
        await using var sending = await OpenAsync(provider);
        await SeedAsync(sending);
        var package = await ExportAsync(sending.Module, StudentKey);
        await using var receiving = await OpenAsync(provider);
        await ImportAsync(receiving.Module, package);
        var m = receiving.Module;
        var student = StudentActor(ReceivingKey);
        var outcomes = await OutcomesAsync(m, student);
        var certified = outcomes.Single(o => o.State == CertificationState.Certified);
        var draft = outcomes.Single(o => o.State == CertificationState.Draft);
        var performance = (await PerformancesAsync(m, student)).Single(p => !p.IsSchoolEntered);
        var cadre = (await PerformancesAsync(m, student)).Single(p => p.IsSchoolEntered);

        void ReadOnly<T>(PortfolioResult<T> result)
            where T : class
        {
            result.Succeeded.ShouldBeFalse(result.ToString());
            result.Problem!.Code.ShouldBe(DiagnosticCodes.TransferItemReadOnly, result.ToString());
            result.Problem.Message.ShouldContain("193301");
        }

        ReadOnly(await m.EditCourseOutcomeAsync(student, draft.Id, draft.Version, "改寫", cancellationToken: Token));
        ReadOnly(await m.SendForCertificationAsync(student, draft.Id, draft.Version, Token));
        ReadOnly(await m.CertifyAsync(MathTeacher, draft.Id, draft.Version, Token));
        ReadOnly(await m.RejectAsync(MathTeacher, certified.Id, certified.Version, "不符", Token));
        ReadOnly(await m.WithdrawCertificationAsync(MathTeacher, certified.Id, certified.Version, Token));
        ReadOnly(await m.ChangeCertifyingTeacherAsync(CourseStaff, certified.Id, certified.Version, "t-math", Token));
        ReadOnly(await m.AssignProxyAsync(CourseStaff, certified.Id, certified.Version, "t-math", Token));
        ReadOnly(await m.EditPerformanceAsync(student, performance.Id, performance.Version, "改寫", cancellationToken: Token));
        ReadOnly(await m.EditPerformanceAsync(CadreStaff, cadre.Id, cadre.Version, "改寫", cancellationToken: Token));

        // Selection is the receiving school's: the certified outcome of this year (credited at the sending school),
        // and the 多元表現, under the national caps.
        var selected = await m.SelectCourseOutcomeAsync(student, certified.Id, certified.Version, Year, Token);
        selected.Succeeded.ShouldBeTrue(selected.ToString());
        (await m.SelectCourseOutcomeAsync(student, draft.Id, draft.Version, new SchoolYear(113), Token)).Succeeded.ShouldBeFalse();
        var chosen = await m.SelectPerformanceAsync(student, performance.Id, performance.Version, Year, Year, Token);
        chosen.Succeeded.ShouldBeTrue(chosen.ToString());
        (await m.UnselectPerformanceAsync(student, chosen.Value.Id, chosen.Value.Version, Token)).Succeeded.ShouldBeTrue();

        // The student's own uploads at the receiving school are not counted against the transferred ones.
        (await m.UploadCourseOutcomeAsync(StudentActor(ReceivingKey), Outcome(ReceivingKey), Token)).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ImportingTheSamePackageAgain_EvenConcurrently_AddsNothing(string provider)
    {
        await using var sending = await OpenAsync(provider);
        await SeedAsync(sending);
        var package = await ExportAsync(sending.Module, StudentKey);

        await using var receiving = await OpenAsync(provider);

        // The store backs off a lost race on its clock: a real one here, as the imports really race.
        var racing = new PortfolioModule(new PortfolioStore(receiving.Database.DataSource, receiving.Database.Dialect, TimeProvider.System), new Portfolio.Sdk.Files.FileSystemContentStore(receiving.FilesRoot), Portfolio.Sdk.Policy.PortfolioPolicy.Default, receiving.Clock);
        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => ImportAsync(racing, package), Token)));
        reports.Sum(r => r.Added).ShouldBe(4);
        reports.Sum(r => r.AlreadyPresent).ShouldBe(8);
        var again = await ImportAsync(receiving.Module, package);
        (again.Added, again.AlreadyPresent).ShouldBe((0, 4));
        (await OutcomesAsync(receiving.Module, StudentActor(ReceivingKey))).Count.ShouldBe(2);
        (await PerformancesAsync(receiving.Module, StudentActor(ReceivingKey))).Count.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnlyTheAdministrator_Exchanges_AndAPackageForAnotherStudentIsRefused(string provider)
    {
        await using var sending = await OpenAsync(provider);
        await SeedAsync(sending);
        using var output = new MemoryStream();
        (await sending.Module.ExportTransferAsync(Student, ExportOf(StudentKey), output, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await sending.Module.ExportTransferAsync(CourseStaff, ExportOf(StudentKey), output, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        output.Length.ShouldBe(0);
        var package = await ExportAsync(sending.Module, StudentKey);

        await using var receiving = await OpenAsync(provider);
        (await receiving.Module.ImportTransferAsync(CourseStaff, ImportOf(), new MemoryStream(package), Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        var other = await receiving.Module.ImportTransferAsync(Administrator, ImportOf() with { NationalId = NationalId.Parse("B123456780") }, new MemoryStream(package), Token);
        other.Problem!.Code.ShouldBe(DiagnosticCodes.TransferStudentMismatch);
        other.Problem.ToString().ShouldNotContain("A123456789");
        (await receiving.Module.ImportTransferAsync(Administrator, ImportOf(), new MemoryStream([1, 2, 3]), Token)).Problem!.Code.ShouldBe(DiagnosticCodes.TransferPackageUnreadable);
        (await OutcomesAsync(receiving.Module, CourseStaff)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ARecordWithAProblem_IsLeftOut_WithItsPath_AndTheRestImported(string provider)
    {
        await using var sending = await OpenAsync(provider);
        await SeedAsync(sending);
        var package = await ExportAsync(sending.Module, StudentKey);

        // The file of the 多元表現 damaged in the zip: its MD5 no longer matches.
        using var damaged = new MemoryStream();
        damaged.Write(package);
        using (var zip = new ZipArchive(damaged, ZipArchiveMode.Update, leaveOpen: true))
        {
            var json = JsonDocument.Parse(new StreamReader(zip.GetEntry(TransferPackage.DocumentEntry)!.Open()).ReadToEnd());
            var link = json.RootElement.GetProperty("多元表現").GetProperty("競賽參與紀錄")[0].GetProperty("證明文件連結").GetString()!;
            zip.GetEntry(link)!.Delete();
            using var stream = zip.CreateEntry(link).Open();
            stream.Write(Encoding.ASCII.GetBytes("%PDF-1.4 replaced"));
        }

        await using var receiving = await OpenAsync(provider);
        var report = await ImportAsync(receiving.Module, damaged.ToArray());
        (report.RecordsRead, report.Added, report.LeftOut).ShouldBe((4, 3, 1));
        var problem = report.Diagnostics.Single(d => d.IsError);
        problem.Code.ShouldBe(DiagnosticCodes.TransferFileMd5Mismatch);
        problem.Location!.Path.ShouldBe("多元表現.競賽參與紀錄[0].證明文件MD5");
        (await PerformancesAsync(receiving.Module, CourseStaff)).ShouldBeEmpty();
    }

    // ---------------------------------------------------------------- round trip over random portfolios

    private static readonly byte[][] FileContents =
    [
        Encoding.ASCII.GetBytes("%PDF-1.4\n% a\n%%EOF\n"),
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4],
        [.. "ID3"u8.ToArray(), 3, 0, 0, 0, 0, 0, 9],
        [0, 0, 0, 0x18, .. "ftypmp42"u8.ToArray(), 0, 0],
        Encoding.ASCII.GetBytes("not a known type"),
        Encoding.ASCII.GetBytes("%PDF-1.7 second document"),
    ];

    private static readonly CourseCode[] Courses = [MathCourse, CourseCode.Parse("113060322H1110101010102")];

    private sealed record Item(bool IsOutcome, int Year, int Term, int Course, int Kind, int State, string Summary, bool Submitted, int Category, bool SchoolEntered, int Day, string? FieldValue, int[] Files);

    private static Gen<Item> Items() =>
        from isOutcome in Gen.Elements(true, false)
        from year in Gen.Choose(110, 114)
        from term in Gen.Choose(1, 2)
        from course in Gen.Choose(0, 1)
        from kind in Gen.Choose(0, 5)
        from state in Gen.Choose(0, 3)
        from summary in Gen.Elements("函數圖形的探究報告", "", "a \"quoted\" <b>&</b>", "多行\n文字\t", "同一筆")
        from submitted in Gen.Elements(true, false)
        from category in Gen.Choose(0, TransferCategories.Keys.Count - 1)
        from schoolEntered in Gen.Elements(false, false, true)
        from day in Gen.Choose(0, 1500)
        from field in Gen.Elements<string?>(null, "班長", "第一名", "")
        from files in Gen.Choose(0, FileContents.Length - 1).ArrayOf().Select(a => a.Take(3).ToArray())
        select new Item(isOutcome, year, term, course, kind, state, summary, submitted, category, schoolEntered, day, field, files);

    private static async Task<bool> RoundTrips(Item[] items)
    {
        await using var sending = await OpenAsync("sqlite");
        foreach (var item in items.Take(12))
        {
            var hashes = new List<string>();
            foreach (var file in item.Files)
            {
                hashes.Add((await new Portfolio.Sdk.Files.FileSystemContentStore(sending.FilesRoot).PutAsync(new MemoryStream(FileContents[file]), Token)).Sha256);
            }

            var year = new SchoolYear(item.Year);
            if (item.IsOutcome)
            {
                await sending.Store.AddAsync(new CourseOutcome
                {
                    Id = Guid.NewGuid(), StudentKey = StudentKey, Term = new SchoolTerm(year, (Term)item.Term), CourseCode = Courses[item.Course], Kind = (CourseOutcomeKind)item.Kind,
                    Summary = item.Summary, FileHashes = [.. hashes.Distinct()], State = (CertificationState)item.State, CertifyingTeacher = "t-math",
                    CertificationNote = item.State == 3 ? item.Summary : null, SelectedFor = item.Submitted ? year : null, IsLocked = item.Submitted && item.State == 2,
                }, Administrator, Token);
            }
            else
            {
                await sending.Store.AddAsync(new PerformanceItem
                {
                    Id = Guid.NewGuid(), StudentKey = StudentKey, Category = TransferCategories.Keys[item.Category].Category, Date = year.StartDate.AddDays(item.Day % 365),
                    Summary = item.FieldValue is null ? null : item.Summary, FieldsJson = item.FieldValue is { } v ? JsonSerializer.Serialize(new Dictionary<string, string> { ["名稱"] = v, ["內容"] = item.Summary }) : null,
                    IsSchoolEntered = item.SchoolEntered, FileHashes = [.. hashes.Distinct()], SelectedFor = item.Submitted ? year : null, IsLocked = item.Submitted,
                }, Administrator, Token);
            }
        }

        var first = await ExportAsync(sending.Module, StudentKey);
        await using var receiving = await OpenAsync("sqlite");
        var report = await ImportAsync(receiving.Module, first);
        report.LeftOut.ShouldBe(0, string.Join("\n", report.Diagnostics));
        report.Added.ShouldBe(Math.Min(items.Length, 12));
        var second = await ExportAsync(receiving.Module, ReceivingKey);
        if (!second.SequenceEqual(first))
        {
            using var a = new ZipArchive(new MemoryStream(first));
            using var b = new ZipArchive(new MemoryStream(second));
            new StreamReader(b.GetEntry(TransferPackage.DocumentEntry)!.Open()).ReadToEnd().ShouldBe(new StreamReader(a.GetEntry(TransferPackage.DocumentEntry)!.Open()).ReadToEnd());
            second.ShouldBe(first);
        }

        (await ImportAsync(receiving.Module, second)).Added.ShouldBe(0);
        return true;
    }

    [Fact]
    public void RoundTrip_ExportImportExport_GivesTheSameContent_ForRandomPortfolios()
    {
        Prop.ForAll(Items().ArrayOf().ToArbitrary(), items => Task.Run(() => RoundTrips(items), Token).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(15));
    }
}
