using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;
using SchoolPortal;

namespace Portfolio.Sdk.Browser.Tests;

/// <summary>
/// The whole cycle in a real browser as four users (student, two course teachers, 導師, administrator): what each sees,
/// and what each may not see or do; and two browsers of one student selecting at once under the cap.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class PortalBrowserTests(PortalFixture portal)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 課程學習成果\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

    private readonly ConcurrentBag<(string Page, string Html)> _seen = [];

    [Fact]
    public async Task WholeCycle_FourUsers_SeeWhatTheirRolesAllowAndNothingMore()
    {
        BrowserRequirement.Require();
        var school = portal.School;
        var term = school.Term;

        // A student with two of this term's courses taught by different teachers, the first credited (passed).
        var (student, first, second) = school.Students.Values
            .OrderBy(s => s.ClassName, StringComparer.Ordinal).ThenBy(s => s.Seat)
            .Select(s => (Student: s, Courses: s.Courses.Where(c => c.Term == term).ToList()))
            .Select(x => (x.Student, First: x.Courses.FirstOrDefault(c => c.Credited), Courses: x.Courses))
            .Where(x => x.First is not null)
            .Select(x => (x.Student, x.First!, x.Courses.FirstOrDefault(c => c.TeacherId != x.First!.TeacherId)))
            .First(x => x.Item3 is not null && x.Student.Seat != 2)!;

        // 1. The student uploads two outcomes (and a file whose content is not allowed), then sends both (送審).
        await using var studentContext = await portal.NewUserAsync();
        var studentPage = await studentContext.NewPageAsync();
        (await studentPage.GotoAsync("/Student/Items"))!.Url.ShouldContain("/Account/SignIn");   // anonymous: to the sign-in page
        await Capture(studentPage, "01-sign-in");
        await SignInAsStudentAsync(studentPage, student);
        studentPage.Url.ShouldEndWith("/Student/Items");
        (await studentPage.Locator("#my-id").TextContentAsync()).ShouldBe(Portfolio.Sdk.Privacy.Redaction.MaskIdentifier(student.NationalId));

        await UploadAsync(studentPage, first.Code.Value, "我整理了單元重點並提出延伸問題，負責資料蒐集與結論。", "report.pdf", Pdf);
        await UploadAsync(studentPage, second!.Code.Value, "小組專題：我負責實驗設計與數據分析。", "project.pdf", Pdf);
        await UploadAsync(studentPage, first.Code.Value, "一個不是文件的檔案", "tool.pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
        var refusal = await studentPage.Locator(".problem").TextContentAsync();
        refusal.ShouldNotBeNull().ShouldStartWith("PF");                                 // type checked by content, refused with its PF code
        (await studentPage.Locator("#outcomes tbody tr").CountAsync()).ShouldBe(2);
        while (await studentPage.Locator("#outcomes button.send").CountAsync() > 0)
        {
            await studentPage.Locator("#outcomes button.send").First.ClickAsync();
            await studentPage.Locator(".done").WaitForAsync();
        }

        (await studentPage.Locator("#outcomes tr[data-state=Pending]").CountAsync()).ShouldBe(2);
        var firstId = await studentPage.Locator("#outcomes tbody tr").Filter(new() { HasText = "整理了單元重點" }).GetAttributeAsync("data-id");
        var secondRow = studentPage.Locator("#outcomes tbody tr").Filter(new() { HasText = "實驗設計" });
        var secondId = await secondRow.GetAttributeAsync("data-id");
        var secondVersion = await secondRow.GetAttributeAsync("data-version");
        await Capture(studentPage, "02-student-items-sent");

        // The student may not open staff pages: the 403 page.
        foreach (var path in new[] { "/Teacher/Queue", "/Homeroom/Class", "/Admin/Statistics" })
        {
            var denied = await studentPage.GotoAsync(path);
            denied!.Status.ShouldBe(403, path);
            (await studentPage.Locator("#forbidden").IsVisibleAsync()).ShouldBeTrue();
        }

        await Capture(studentPage, "03-student-forbidden");

        // 2. The first course's teacher sees only their own queue, certifies, and cannot certify the other teacher's item.
        await using var teacherContext = await portal.NewUserAsync();
        var teacherPage = await teacherContext.NewPageAsync();
        await SignInAsync(teacherPage, "#teacher-user", first.TeacherId, "#sign-in-teacher");
        teacherPage.Url.ShouldEndWith("/Teacher/Queue");
        var queue = teacherPage.Locator("#queue tbody tr");
        (await queue.Filter(new() { HasText = "整理了單元重點" }).CountAsync()).ShouldBe(1);
        (await queue.Filter(new() { HasText = "實驗設計" }).CountAsync()).ShouldBe(0);      // another teacher's queue
        (await queue.Filter(new() { HasText = student.Label }).CountAsync()).ShouldBeGreaterThan(0);
        await Capture(teacherPage, "04-teacher-queue");
        var fileLink = new Uri(portal.BaseAddress, await queue.Filter(new() { HasText = "整理了單元重點" }).Locator("a.file").First.GetAttributeAsync("href")).ToString();
        var file = await teacherContext.APIRequest.GetAsync(fileLink);
        file.Status.ShouldBe(200);
        file.Headers["content-type"].ShouldBe("application/pdf");
        (await file.BodyAsync()).ShouldBe(Pdf);                                           // the certifying teacher opens the student's file
        await queue.Filter(new() { HasText = "整理了單元重點" }).Locator("button.certify").ClickAsync();
        await teacherPage.Locator(".done").WaitForAsync();

        // A forged post for the other teacher's item (id and version from the student's page): the module refuses it.
        var forged = await PostFromPageAsync(teacherPage, "/Teacher/Queue?handler=Certify", new() { ["id"] = secondId!, ["version"] = secondVersion! });
        forged.Status.ShouldBe(422);
        forged.Html.ShouldContain("data-code=\"PF31");
        (await teacherPage.GotoAsync("/Student/Items"))!.Status.ShouldBe(403);

        // 3. The second teacher rejects: first without a reason (refused), then with one.
        await using var otherTeacherContext = await portal.NewUserAsync();
        var otherTeacherPage = await otherTeacherContext.NewPageAsync();
        await SignInAsync(otherTeacherPage, "#teacher-user", second.TeacherId, "#sign-in-teacher");
        (await otherTeacherContext.APIRequest.GetAsync(fileLink)).Status.ShouldBe(403);   // not another teacher's student's file
        var row = otherTeacherPage.Locator("#queue tbody tr").Filter(new() { HasText = "實驗設計" });
        (await otherTeacherPage.Locator("#queue tbody tr").Filter(new() { HasText = "整理了單元重點" }).CountAsync()).ShouldBe(0);
        await row.Locator("button.reject").ClickAsync();
        (await otherTeacherPage.Locator(".problem").GetAttributeAsync("data-code")).ShouldBe("PF3103");
        await Capture(otherTeacherPage, "05-teacher-reject-without-reason");
        await otherTeacherPage.Locator("#queue tbody tr").Filter(new() { HasText = "實驗設計" }).Locator("input.reason").FillAsync("請說明你在小組中負責的部分與學到什麼");
        await otherTeacherPage.Locator("#queue tbody tr").Filter(new() { HasText = "實驗設計" }).Locator("button.reject").ClickAsync();
        await otherTeacherPage.Locator(".done").WaitForAsync();

        // 4. The student sees the reason, and selects the certified outcome (勾選) with the cap shown.
        await studentPage.GotoAsync("/Student/Items");
        var rejected = studentPage.Locator($"#outcomes tr[data-id='{secondId}']");
        (await rejected.GetAttributeAsync("data-state")).ShouldBe("Rejected");
        (await rejected.Locator(".note").TextContentAsync()).ShouldBe("請說明你在小組中負責的部分與學到什麼");
        await studentPage.Locator($"#outcomes tr[data-id='{firstId}'] button.select").ClickAsync();
        await studentPage.Locator(".done").WaitForAsync();
        (await studentPage.Locator("#selected-count").TextContentAsync()).ShouldBe("1");
        (await studentPage.Locator("#cap-value").TextContentAsync()).ShouldBe("6");
        await Capture(studentPage, "06-student-selected");

        // 5. The 導師 sees the class's status, not another class's, and not the school's statistics.
        await using var homeroomContext = await portal.NewUserAsync();
        var homeroomPage = await homeroomContext.NewPageAsync();
        await SignInAsync(homeroomPage, "#homeroom-user", "h-" + student.ClassName, "#sign-in-homeroom");
        var mine = homeroomPage.Locator("#class-status tbody tr").Filter(new() { HasText = student.Label });
        (await mine.Locator(".uploaded").TextContentAsync()).ShouldBe("2");
        (await mine.Locator(".rejected").TextContentAsync()).ShouldBe("1");
        (await mine.Locator(".certified").TextContentAsync()).ShouldBe("1");
        (await mine.Locator(".selected").TextContentAsync()).ShouldBe("1");
        await Capture(homeroomPage, "07-homeroom-class");
        var otherClass = school.Students.Values.Select(s => s.ClassName).First(c => c != student.ClassName);
        await homeroomPage.GotoAsync("/Homeroom/Class?class=" + otherClass);
        (await homeroomPage.Locator(".problem").GetAttributeAsync("data-code")).ShouldBe("PF3101");
        (await homeroomPage.Locator("#class-status").CountAsync()).ShouldBe(0);
        (await homeroomPage.GotoAsync("/Admin/Statistics"))!.Status.ShouldBe(403);

        // 6. The administrator sees the school's statistics and the account of the SIS rows read.
        await using var adminContext = await portal.NewUserAsync();
        var adminPage = await adminContext.NewPageAsync();
        await SignInAsync(adminPage, null, null, "#sign-in-admin");
        adminPage.Url.ShouldEndWith("/Admin/Statistics");
        var classRow = adminPage.Locator("#by-class tbody tr").Filter(new() { HasText = student.ClassName + " 班" });
        int.Parse((await classRow.Locator(".uploaded").TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(2);
        (await adminPage.Locator("#sis-account tbody tr").CountAsync()).ShouldBe(3);
        await Capture(adminPage, "08-admin-statistics");

        // 7. The student confirms one receipt (收訖明細) and disputes the other with what is wrong.
        await studentPage.GotoAsync("/Student/Receipt");
        var receipts = studentPage.Locator("section.receipt");
        (await receipts.CountAsync()).ShouldBe(2);
        await studentPage.Locator("section.receipt[data-book=student] button.confirm").ClickAsync();
        await studentPage.Locator(".done").WaitForAsync();
        await studentPage.Locator("section.receipt[data-book=grades] input.dispute-note").FillAsync("數學成績與成績單不符");
        await studentPage.Locator("section.receipt[data-book=grades] button.dispute").ClickAsync();
        await studentPage.Locator(".done").WaitForAsync();
        (await studentPage.Locator("section.receipt[data-book=student] .answer").GetAttributeAsync("data-decision")).ShouldBe("Confirm");
        (await studentPage.Locator("section.receipt[data-book=grades] .answer").GetAttributeAsync("data-decision")).ShouldBe("Dispute");
        await Capture(studentPage, "09-student-receipt");

        // 8. The student edits the rejected outcome as the teacher asked, with a new file, and sends it again.
        await studentPage.GotoAsync("/Student/Items");
        var again = studentPage.Locator($"#outcomes tr[data-id='{secondId}']");
        await again.Locator("details.edit summary").ClickAsync();
        await again.Locator("textarea.edit-summary").FillAsync("小組專題：我負責實驗設計與數據分析，學到控制變因。");
        await again.Locator("input.edit-file").SetInputFilesAsync(new FilePayload { Name = "project-v2.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await again.Locator("button.save").ClickAsync();
        await studentPage.Locator(".done").WaitForAsync();
        await studentPage.Locator($"#outcomes tr[data-id='{secondId}'] button.send").ClickAsync();
        await studentPage.Locator(".done").WaitForAsync();
        (await studentPage.Locator($"#outcomes tr[data-id='{secondId}']").GetAttributeAsync("data-state")).ShouldBe("Pending");
        (await studentPage.Locator($"#outcomes tr[data-id='{secondId}'] span.summary").TextContentAsync()).ShouldBe("小組專題：我負責實驗設計與數據分析，學到控制變因。");
        await otherTeacherPage.GotoAsync("/Teacher/Queue");
        (await otherTeacherPage.Locator("#queue tbody tr").Filter(new() { HasText = "學到控制變因" }).CountAsync()).ShouldBe(1);

        // A form post without the antiforgery token is refused before the module is called.
        var form = studentContext.APIRequest.CreateFormData();
        form.Set("id", firstId!);
        form.Set("version", "1");
        var unprotected = await studentContext.APIRequest.PostAsync(new Uri(portal.BaseAddress, "/Student/Items?handler=Unselect").ToString(), new() { Form = form });
        unprotected.Status.ShouldBe(400);
        await studentPage.GotoAsync("/Student/Items");
        (await studentPage.Locator("#selected-count").TextContentAsync()).ShouldBe("1");

        // Signed out, the student's pages lead to the sign-in page again.
        await studentPage.ClickAsync("#sign-out");
        await studentPage.WaitForURLAsync("**/Account/SignIn");
        (await studentPage.GotoAsync("/Student/Receipt"))!.Url.ShouldContain("/Account/SignIn");

        // No page showed a 身分證號, a 學號 or a name in full.
        AssertNoPersonalData(school);
    }

    [Fact]
    public async Task TwoBrowsersOfOneStudent_SelectingEightAtOnce_NeverExceedTheCap()
    {
        BrowserRequirement.Require();
        var school = portal.School;
        var module = portal.Module;
        var year = school.Term.Year;
        var student = school.Students.Values.OrderBy(s => s.ClassName, StringComparer.Ordinal).ThenBy(s => s.Seat)
            .First(s => s.Seat == 2 && s.Courses.Count(c => c.Credited) >= 2);
        var credited = student.Courses.Where(c => c.Credited).ToList();

        // Eight certified outcomes prepared through the module (the upload and certification paths are the other test's).
        var actor = PortfolioActor.StudentOf("u-" + student.StudentNumber, student.StudentNumber);
        for (var i = 0; i < 8; i++)
        {
            var course = credited[i % credited.Count];
            var teacher = new PortfolioActor(course.TeacherId, new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
            var uploaded = await module.UploadCourseOutcomeAsync(actor, new CourseOutcomeUpload
            {
                StudentKey = student.StudentNumber, ClassName = student.ClassName, Term = course.Term, CourseCode = course.Code,
                CertifyingTeacher = course.TeacherId, Summary = $"第 {i + 1} 份成果：我負責整理與報告。", Files = [new MemoryStream(Pdf)],
            }, TestContext.Current.CancellationToken);
            var sent = await module.SendForCertificationAsync(actor, uploaded.Value.ShouldNotBeNull().Id, uploaded.Value.Version, TestContext.Current.CancellationToken);
            (await module.CertifyAsync(teacher, sent.Value!.Id, sent.Value.Version, TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        }

        // Two browsers signed in as the student, each posting four selections at once.
        await using var one = await portal.NewUserAsync();
        await using var two = await portal.NewUserAsync();
        var pages = new[] { await one.NewPageAsync(), await two.NewPageAsync() };
        foreach (var page in pages)
        {
            await SignInAsStudentAsync(page, student);
            (await page.Locator("#outcomes tbody tr[data-state=Certified]").CountAsync()).ShouldBe(8);
        }

        var ids = new List<string>();
        foreach (var row in await pages[0].Locator("#outcomes tbody tr").AllAsync())
        {
            ids.Add((await row.GetAttributeAsync("data-id"))!);
        }

        const string Burst = """
            async (ids) => await Promise.all(ids.map(async id => {
                const form = document.querySelector(`tr[data-id="${id}"] button.select`).form;
                const response = await fetch(form.action, { method: 'POST', body: new FormData(form) });
                const html = await response.text();
                const problem = /data-code="(PF\d+)"/.exec(html);
                return { status: response.status, code: problem ? problem[1] : null };
            }))
            """;
        var results = await Task.WhenAll(
            pages[0].EvaluateAsync<JsonElement>(Burst, ids.Take(4).ToArray()),
            pages[1].EvaluateAsync<JsonElement>(Burst, ids.Skip(4).ToArray()));
        var answers = results.SelectMany(r => r.EnumerateArray()).Select(a => (Status: a.GetProperty("status").GetInt32(), Code: a.GetProperty("code").GetString())).ToList();
        answers.Count.ShouldBe(8);
        answers.Count(a => a.Status == 200).ShouldBe(6);
        answers.Where(a => a.Status != 200).ShouldAllBe(a => a.Status == 422 && a.Code == "PF3107");

        await pages[1].ReloadAsync();
        (await pages[1].Locator("#selected-count").TextContentAsync()).ShouldBe("6");
        (await pages[1].Locator("#outcomes tbody tr[data-selected=true]").CountAsync()).ShouldBe(6);
        await Capture(pages[1], "10-student-cap-after-burst");
        var stored = 0;
        await foreach (var outcome in module.ListCourseOutcomesAsync(actor, student.StudentNumber, year, cancellationToken: TestContext.Current.CancellationToken))
        {
            stored += outcome.SelectedFor == year ? 1 : 0;
        }

        stored.ShouldBe(6);
        AssertNoPersonalData(school);
    }

    [Fact]
    public async Task ModuleEndpoints_InThePortal_AnswerTheSignedInUserWithTheSameActor()
    {
        BrowserRequirement.Require();
        var school = portal.School;
        var year = school.Term.Year.ToString();
        var student = school.Students.Values.OrderBy(s => s.ClassName, StringComparer.Ordinal).ThenBy(s => s.Seat).First();

        // Anonymous: the endpoints answer 401 with a problem (PF5001), not the pages' sign-in redirect.
        await using var anonymous = await portal.NewUserAsync();
        var none = await anonymous.APIRequest.GetAsync($"/portfolio/items?year={year}", new() { MaxRedirects = 0 });
        none.Status.ShouldBe(401);
        (await none.JsonAsync())!.Value.GetProperty("code").GetString().ShouldBe("PF5001");

        // The student's cookie from the demo sign-in: their own items, their key masked; staff endpoints refused (403).
        await using var context = await portal.NewUserAsync();
        var page = await context.NewPageAsync();
        await SignInAsStudentAsync(page, student);
        var items = await context.APIRequest.GetAsync($"/portfolio/items?year={year}");
        items.Status.ShouldBe(200);
        var body = await items.TextAsync();
        body.ShouldNotContain(student.StudentNumber);
        body.ShouldNotContain(student.NationalId);
        var statistics = await context.APIRequest.GetAsync($"/portfolio/statistics?year={year}");
        statistics.Status.ShouldBe(403);
        (await statistics.JsonAsync())!.Value.GetProperty("code").GetString().ShouldBe("PF3101");
    }

    private static async Task SignInAsStudentAsync(IPage page, DemoStudent student) =>
        await SignInAsync(page, "#student-user", student.SignInKey, "#sign-in-student");

    private static async Task SignInAsync(IPage page, string? select, string? value, string button)
    {
        await page.GotoAsync("/Account/SignIn");
        if (select is not null)
        {
            await page.SelectOptionAsync(select, value!);
        }

        await page.ClickAsync(button);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        page.Url.ShouldNotContain("/Account/SignIn");
    }

    private static async Task UploadAsync(IPage page, string course, string summary, string fileName, byte[] content)
    {
        await page.SelectOptionAsync("#upload-course", course);
        await page.FillAsync("#upload-summary", summary);
        await page.SetInputFilesAsync("#upload-file", new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = content });
        await page.ClickAsync("#upload-submit");
        await page.Locator(".done, .problem").First.WaitForAsync();
    }

    private static async Task<(int Status, string Html)> PostFromPageAsync(IPage page, string path, Dictionary<string, string> fields)
    {
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async ([path, fields]) => {
                const body = new FormData();
                body.append('__RequestVerificationToken', document.querySelector('input[name=__RequestVerificationToken]').value);
                for (const [k, v] of Object.entries(fields)) body.append(k, v);
                const response = await fetch(path, { method: 'POST', body });
                return { status: response.status, html: await response.text() };
            }
            """, new object[] { path, fields });
        return (result.GetProperty("status").GetInt32(), result.GetProperty("html").GetString()!);
    }

    private async Task Capture(IPage page, string name)
    {
        // Every page is zh-TW first, and every form that posts carries the antiforgery token.
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe("zh-Hant-TW", name);
        (await page.EvaluateAsync<int>("() => [...document.querySelectorAll('form')].filter(f => f.method === 'post' && !f.querySelector('input[name=__RequestVerificationToken]')).length")).ShouldBe(0, name);
        _seen.Add((name, await page.ContentAsync()));
        await page.ScreenshotAsync(new() { Path = Path.Combine(portal.Screenshots, name + ".png"), FullPage = true });
    }

    private void AssertNoPersonalData(DemoSchool school)
    {
        _seen.ShouldNotBeEmpty();
        foreach (var (name, html) in _seen)
        {
            foreach (var s in school.Students.Values)
            {
                html.ShouldNotContain(s.NationalId, Case.Insensitive, $"{name} shows a 身分證號");
                html.ShouldNotContain(s.StudentNumber, Case.Sensitive, $"{name} shows a 學號");
                if (s.Name is { Length: >= 2 } full)
                {
                    html.ShouldNotContain(full, Case.Sensitive, $"{name} shows a name");
                }
            }
        }
    }
}
