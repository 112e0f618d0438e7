using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;
using SchoolPortal;

namespace Portfolio.Sdk.Browser.Tests;

/// <summary>
/// The student's 多元表現 pages (list, upload, edit, 勾選 and 取消勾選 with the cap shown, the cap's refusal in zh-Hant-TW)
/// and the receipt rows answered one at a time, in a real browser; every page checked for the antiforgery token on each
/// form and for no 身分證號, 學號 or full name.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class PortalPerformanceAndReceiptRowTests(PortalFixture portal)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 多元表現證明\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

    private readonly ConcurrentBag<(string Page, string Html)> _seen = [];

    [Fact]
    public async Task Student_UploadsEditsAndSelectsPerformances_TheCapRefusalIsShownInChinese()
    {
        BrowserRequirement.Require();
        var school = portal.School;
        var year = school.Term.Year;
        var student = Students(school).First();

        await using var context = await portal.NewUserAsync();
        var page = await context.NewPageAsync();
        (await page.GotoAsync("/Student/Performances"))!.Url.ShouldContain("/Account/SignIn");
        await SignInAsync(page, student);
        await page.GotoAsync("/Student/Performances");
        (await page.Locator("#cap-value").TextContentAsync()).ShouldBe("10");
        (await page.Locator("#selected-count").TextContentAsync()).ShouldBe("0");
        (await page.Locator("#no-performances").IsVisibleAsync()).ShouldBeTrue();
        await Capture(page, "p1-performances-empty");

        // Upload two through the page.
        var day = new DateOnly(year.RocYear + 1911, 9, 15).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await UploadAsync(page, "performance-competition", day, "全國科展化學組：我負責實驗設計與數據分析。");
        await UploadAsync(page, "performance-competition", day, "校內英文演講比賽：我準備講稿並上台發表。");
        (await page.Locator("#performances tbody tr").CountAsync()).ShouldBe(2);
        var science = page.Locator("#performances tbody tr").Filter(new() { HasText = "全國科展" });
        var speech = page.Locator("#performances tbody tr").Filter(new() { HasText = "英文演講" });
        var speechId = await speech.GetAttributeAsync("data-id");

        // Edit one: a new 簡述 and a new proof.
        await speech.Locator("details.edit summary").ClickAsync();
        await speech.Locator("textarea.edit-summary").FillAsync("校內英文演講比賽：我準備講稿並上台發表，得到第二名。");
        await speech.Locator("input.edit-file").SetInputFilesAsync(new FilePayload { Name = "speech-v2.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await speech.Locator("button.save").ClickAsync();
        await page.Locator(".done").WaitForAsync();
        (await page.Locator($"#performances tr[data-id='{speechId}'] span.summary").TextContentAsync()).ShouldBe("校內英文演講比賽：我準備講稿並上台發表，得到第二名。");

        // Select one (勾選): the count follows.
        await science.Locator("button.select").ClickAsync();
        await page.Locator(".done").WaitForAsync();
        (await page.Locator("#selected-count").TextContentAsync()).ShouldBe("1");
        await Capture(page, "p2-performances-selected");

        // Nine more selected elsewhere (the module, as another tab would): the cap is reached.
        var actor = PortfolioActor.StudentOf(student.SignInKey, student.StudentNumber) with { Classes = new HashSet<string> { student.ClassName } };
        for (var i = 0; i < 9; i++)
        {
            var uploaded = await portal.Module.UploadPerformanceAsync(actor, new PerformanceUpload
            {
                StudentKey = student.StudentNumber,
                ClassName = student.ClassName,
                Category = "performance-competition",
                Date = new DateOnly(year.RocYear + 1911, 9, 1 + i),
                Summary = $"第 {i + 1} 項社團成果發表：我負責規劃與主持。",
                Files = [new MemoryStream(Pdf)],
            }, TestContext.Current.CancellationToken);
            uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
            var entry = student.ClassName is [var g, ..] && g is >= '1' and <= '3' ? new SchoolYear(year.RocYear - (g - '1')) : year;
            (await portal.Module.SelectPerformanceAsync(actor, uploaded.Value!.Id, uploaded.Value.Version, year, entry, TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        }

        await page.GotoAsync("/Student/Performances");
        (await page.Locator("#selected-count").TextContentAsync()).ShouldBe("10");
        await page.Locator($"#performances tr[data-id='{speechId}'] button.select").ClickAsync();
        var refusal = page.Locator(".problem");
        await refusal.WaitForAsync();
        (await refusal.GetAttributeAsync("data-code")).ShouldBe("PF3107");
        var text = (await refusal.TextContentAsync())!;
        text.ShouldContain("學年度已勾選 10 件");
        text.ShouldContain("上限 10 件");
        (await page.Locator("#selected-count").TextContentAsync()).ShouldBe("10");
        await Capture(page, "p3-performances-cap-refused");

        // Unselect one: there is room again, and the refused one can be selected.
        await page.Locator("#performances tbody tr").Filter(new() { HasText = "全國科展" }).Locator("button.unselect").ClickAsync();
        await page.Locator(".done").WaitForAsync();
        (await page.Locator("#selected-count").TextContentAsync()).ShouldBe("9");
        await page.Locator($"#performances tr[data-id='{speechId}'] button.select").ClickAsync();
        await page.Locator(".done").WaitForAsync();
        (await page.Locator("#selected-count").TextContentAsync()).ShouldBe("10");
        (await page.Locator($"#performances tr[data-id='{speechId}']").GetAttributeAsync("data-selected")).ShouldBe("true");
        await Capture(page, "p4-performances-final");

        // A post without the antiforgery token is refused before the module is called.
        var form = context.APIRequest.CreateFormData();
        form.Set("id", speechId!);
        form.Set("version", "1");
        (await context.APIRequest.PostAsync(new Uri(portal.BaseAddress, "/Student/Performances?handler=Unselect").ToString(), new() { Form = form })).Status.ShouldBe(400);
        AssertNoPersonalData(school);
    }

    [Fact]
    public async Task Student_AnswersEachReceiptRow_AndAStaleAnswerIsRefused()
    {
        BrowserRequirement.Require();
        var school = portal.School;
        var student = Students(school).Skip(1).First();
        await using var context = await portal.NewUserAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, student);
        await page.GotoAsync("/Student/Receipt");
        var rows = page.Locator("section.receipt[data-book=grades] tr.receipt-row");
        (await rows.CountAsync()).ShouldBeGreaterThanOrEqualTo(2);
        await Capture(page, "r1-receipt-rows");

        // Row by row: the first is right, the second is wrong (with what is wrong).
        var firstRow = await rows.Nth(0).GetAttributeAsync("data-row");
        var secondRow = await rows.Nth(1).GetAttributeAsync("data-row");
        var staleVersion = await rows.Nth(0).GetAttributeAsync("data-version");
        staleVersion.ShouldBe("0");
        await rows.Nth(0).Locator("button.row-confirm").ClickAsync();
        await page.Locator(".done").WaitForAsync();
        await page.Locator($"section.receipt[data-book=grades] tr.receipt-row[data-row='{secondRow}'] input.row-note").FillAsync("學分數應為 3");
        await page.Locator($"section.receipt[data-book=grades] tr.receipt-row[data-row='{secondRow}'] button.row-dispute").ClickAsync();
        await page.Locator(".done").WaitForAsync();
        (await page.Locator($"section.receipt[data-book=grades] tr.receipt-row[data-row='{firstRow}']").GetAttributeAsync("data-decision")).ShouldBe("Confirm");
        var disputed = page.Locator($"section.receipt[data-book=grades] tr.receipt-row[data-row='{secondRow}']");
        (await disputed.GetAttributeAsync("data-decision")).ShouldBe("Dispute");
        (await disputed.Locator(".row-answer").TextContentAsync()).ShouldBe("錯誤（學分數應為 3）");
        await Capture(page, "r2-receipt-rows-answered");

        // A dispute without a note, and an answer made from an old reading (another tab): refused, in zh-Hant-TW.
        await page.Locator($"section.receipt[data-book=grades] tr.receipt-row[data-row='{firstRow}'] button.row-dispute").ClickAsync();
        (await page.Locator(".problem").GetAttributeAsync("data-code")).ShouldBe("PF4405");
        var stale = await PostFromPageAsync(page, "/Student/Receipt?handler=DisputeRow", new()
        {
            ["key"] = (await page.Locator("section.receipt[data-book=grades]").GetAttributeAsync("data-key"))!,
            ["row"] = firstRow!,
            ["version"] = staleVersion!,
            ["note"] = "改為有誤",
        });
        stale.Status.ShouldBe(422);
        stale.Html.ShouldContain("data-code=\"PF4414\"");
        stale.Html.ShouldContain("請重新整理後再作答");
        await page.GotoAsync("/Student/Receipt");
        (await page.Locator($"section.receipt[data-book=grades] tr.receipt-row[data-row='{firstRow}']").GetAttributeAsync("data-decision")).ShouldBe("Confirm");
        await Capture(page, "r3-receipt-rows-after-stale");
        _seen.Add(("r4-stale-answer", stale.Html));
        AssertNoPersonalData(school);
    }

    // Students the other test classes do not use: the last ones of the school.
    private static IEnumerable<DemoStudent> Students(DemoSchool school) =>
        school.Students.Values.OrderByDescending(s => s.ClassName, StringComparer.Ordinal).ThenByDescending(s => s.Seat);

    private static async Task SignInAsync(IPage page, DemoStudent student)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.SelectOptionAsync("#student-user", student.SignInKey);
        await page.ClickAsync("#sign-in-student");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        page.Url.ShouldNotContain("/Account/SignIn");
    }

    private static async Task UploadAsync(IPage page, string category, string date, string summary)
    {
        await page.SelectOptionAsync("#performance-category", category);
        await page.FillAsync("#performance-date", date);
        await page.FillAsync("#performance-summary", summary);
        await page.SetInputFilesAsync("#performance-file", new FilePayload { Name = "proof.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await page.ClickAsync("#performance-submit");
        await page.Locator(".done, .problem").First.WaitForAsync();
        if (await page.Locator(".problem").CountAsync() > 0)
        {
            throw new ShouldAssertException("The upload was refused: " + await page.Locator(".problem").First.TextContentAsync());
        }
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
        // zh-TW first, and every form that posts carries the antiforgery token.
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe("zh-Hant-TW", name);
        (await page.EvaluateAsync<int>("() => document.querySelectorAll('form').length")).ShouldBeGreaterThan(0, name);
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
