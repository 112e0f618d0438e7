using System.Net;
using System.Text.Json;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>The whole cycle over HTTP on a real Kestrel server, over SQLite and PostgreSQL.</summary>
public sealed class CycleTests
{
    public static TheoryData<string> Providers() => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task WholeCycle_UploadSendRejectEditCertifySelect_OverHttp(string provider)
    {
        await using var server = await PortalServer.StartAsync(provider);
        using var student = server.As(PortalServer.Student());
        using var teacher = server.As(PortalServer.Teacher());
        using var homeroom = server.As(PortalServer.Homeroom());
        using var admin = server.As(PortalServer.Administrator());
        using var other = server.As(PortalServer.Student("B223456780", "u-other") with { Classes = new HashSet<string> { "102" } });

        // 上傳 (multipart, streamed), then the student's items.
        var uploaded = await student.UploadCourseOutcomeAsync();
        uploaded.Status.ShouldBe(HttpStatusCode.Created, uploaded.ToString());
        var id = uploaded.Json.GetProperty("id").GetGuid();
        var file = uploaded.Json.GetProperty("files")[0].GetString()!;
        uploaded.Json.GetProperty("studentKey").GetString().ShouldBe("A12****789");
        var items = await student.GetAsync("/portfolio/items?year=113");
        items.Status.ShouldBe(HttpStatusCode.OK, items.ToString());
        items.Json.GetProperty("courseOutcomes").GetArrayLength().ShouldBe(1);
        items.Json.GetProperty("courseOutcomeCap").GetInt32().ShouldBe(6);

        // 編輯 with a new file, then 送審; a stale version is a 409.
        var edited = await student.FormAsync(HttpMethod.Put, $"/portfolio/course-outcomes/{id}", new Dictionary<string, string>
        {
            ["version"] = "1",
            ["summary"] = "函數圖形的探究報告（修訂）：我重新整理數據並說明學到的檢驗方法。",
        }, [("v2.pdf", PortalServer.Pdf("v2").ToArray(), "application/pdf")]);
        edited.Status.ShouldBe(HttpStatusCode.OK, edited.ToString());
        edited.Json.GetProperty("version").GetInt64().ShouldBe(2);
        file = edited.Json.GetProperty("files")[0].GetString()!;
        var stale = await student.PostAsync($"/portfolio/course-outcomes/{id}/send", new { version = 1 });
        stale.Status.ShouldBe(HttpStatusCode.Conflict, stale.ToString());
        stale.Code.ShouldBe("PF3104");
        var sent = await student.PostAsync($"/portfolio/course-outcomes/{id}/send", new { version = 2 });
        sent.Status.ShouldBe(HttpStatusCode.OK, sent.ToString());
        sent.Json.GetProperty("state").GetString().ShouldBe("Pending");

        // The teacher's 待認證 queue, the file, 認證不通過 with a reason (none: 400 PF3103).
        var pending = await teacher.GetAsync("/portfolio/certifications/pending");
        pending.Json.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ShouldBe([id]);
        using (var download = await teacher.Http.GetAsync(new Uri($"/portfolio/course-outcomes/{id}/files/{file}", UriKind.Relative), UserClient.Token))
        {
            download.StatusCode.ShouldBe(HttpStatusCode.OK);
            download.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
            (await download.Content.ReadAsStringAsync(UserClient.Token)).ShouldStartWith("%PDF-1.4\n% v2");
        }

        var noReason = await teacher.PostAsync($"/portfolio/course-outcomes/{id}/reject", new { version = 3, reason = " " });
        noReason.Status.ShouldBe(HttpStatusCode.BadRequest, noReason.ToString());
        noReason.Code.ShouldBe("PF3103");
        var rejected = await teacher.PostAsync($"/portfolio/course-outcomes/{id}/reject", new { version = 3, reason = "請補上你負責的部分" });
        rejected.Json.GetProperty("state").GetString().ShouldBe("Rejected");
        (await student.FormAsync(HttpMethod.Put, $"/portfolio/course-outcomes/{id}", new Dictionary<string, string> { ["version"] = "4", ["summary"] = "函數圖形的探究報告：我負責蒐集資料與畫圖，學到如何檢驗猜想。" }, []))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await student.PostAsync($"/portfolio/course-outcomes/{id}/send", new { version = 5 })).Status.ShouldBe(HttpStatusCode.OK);
        var certified = await teacher.PostAsync($"/portfolio/course-outcomes/{id}/certify", new { version = 6 });
        certified.Status.ShouldBe(HttpStatusCode.OK, certified.ToString());
        certified.Json.GetProperty("state").GetString().ShouldBe("Certified");

        // 取消認證 and 認證 again, then 勾選 / 取消勾選 / 勾選 once the course is credited.
        (await teacher.PostAsync($"/portfolio/course-outcomes/{id}/withdraw", new { version = 7 })).Json.GetProperty("state").GetString().ShouldBe("Draft");
        (await student.PostAsync($"/portfolio/course-outcomes/{id}/send", new { version = 8 })).Status.ShouldBe(HttpStatusCode.OK);
        (await teacher.PostAsync($"/portfolio/course-outcomes/{id}/certify", new { version = 9 })).Status.ShouldBe(HttpStatusCode.OK);
        var notCredited = await student.PostAsync($"/portfolio/course-outcomes/{id}/select", new { version = 10, year = 113 });
        notCredited.Code.ShouldBe("PF3119");
        await server.Module.Store.RecordCreditedCoursesAsync(PortalServer.StudentKey, "101", Portfolio.Sdk.Calendar.SchoolTerm.Parse("113-1"), [PortalServer.MathCourse], UserClient.Token);
        (await student.PostAsync($"/portfolio/course-outcomes/{id}/select", new { version = 10, year = 113 })).Json.GetProperty("selectedFor").GetInt32().ShouldBe(113);
        (await student.PostAsync($"/portfolio/course-outcomes/{id}/unselect", new { version = 11 })).Json.GetProperty("selectedFor").ValueKind.ShouldBe(JsonValueKind.Null);
        (await student.PostAsync($"/portfolio/course-outcomes/{id}/select", new { version = 12, year = 113 })).Status.ShouldBe(HttpStatusCode.OK);

        // 多元表現: upload, select (entry year), and its file for the student only.
        var performance = await student.FormAsync(HttpMethod.Post, "/portfolio/performances", new Dictionary<string, string>
        {
            ["category"] = "performance-competition",
            ["date"] = "2024-09-20",
            ["summary"] = "全國科展化學組：我負責實驗設計與數據分析。",
        }, [("證明.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3], "image/png")]);
        performance.Status.ShouldBe(HttpStatusCode.Created, performance.ToString());
        var performanceId = performance.Json.GetProperty("id").GetGuid();
        var proof = performance.Json.GetProperty("files")[0].GetString()!;
        (await student.PostAsync($"/portfolio/performances/{performanceId}/select", new { version = 1, year = 113, entryYear = 113 })).Json.GetProperty("selectedFor").GetInt32().ShouldBe(113);
        (await student.PostAsync($"/portfolio/performances/{performanceId}/unselect", new { version = 2 })).Status.ShouldBe(HttpStatusCode.OK);
        (await student.FormAsync(HttpMethod.Put, $"/portfolio/performances/{performanceId}", new Dictionary<string, string> { ["version"] = "3", ["summary"] = "全國科展化學組佳作：我負責實驗設計與數據分析。" }, []))
            .Json.GetProperty("version").GetInt64().ShouldBe(4);
        (await student.GetAsync($"/portfolio/performances/{performanceId}/files/{proof}")).Status.ShouldBe(HttpStatusCode.OK);
        var notTheirs = await other.GetAsync($"/portfolio/performances/{performanceId}/files/{proof}");
        notTheirs.Status.ShouldBe(HttpStatusCode.Forbidden, notTheirs.ToString());
        notTheirs.Code.ShouldBe("PF3101");
        (await student.GetAsync($"/portfolio/performances/{performanceId}/files/{file}")).Code.ShouldBe("PF5011");
        (await other.PostAsync($"/portfolio/course-outcomes/{id}/unselect", new { version = 13 })).Status.ShouldBe(HttpStatusCode.Forbidden);

        // 導師: their class, not another; the school's statistics for staff.
        var status = await homeroom.GetAsync("/portfolio/classes/101/status?year=113");
        status.Status.ShouldBe(HttpStatusCode.OK, status.ToString());
        var row = status.Json.GetProperty("students").EnumerateArray().ShouldHaveSingleItem();
        row.GetProperty("studentKey").GetString().ShouldBe("A12****789");
        row.GetProperty("selected").GetInt32().ShouldBe(1);
        (await homeroom.GetAsync("/portfolio/classes/102/status?year=113")).Code.ShouldBe("PF3101");
        (await homeroom.GetAsync("/portfolio/classes/101/status?year=abc")).Code.ShouldBe("PF0201");
        var statistics = await admin.GetAsync("/portfolio/statistics?year=113");
        statistics.Status.ShouldBe(HttpStatusCode.OK, statistics.ToString());
        statistics.Json.GetProperty("classes")[0].GetProperty("certified").GetInt32().ShouldBe(1);

        // No receipt service in this host: a 404 problem that says so.
        (await student.PostAsync("/portfolio/receipts/k-1/confirm", new { })).Code.ShouldBe("PF5010");

        // Unknown item: 404 PF3116.
        (await student.PostAsync($"/portfolio/course-outcomes/{Guid.NewGuid()}/send", new { version = 1 })).Code.ShouldBe("PF3116");
    }

    [Fact]
    public async Task Refusals_AreProblemDetails_WithCodeLocationAndBothMessages()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var student = server.As(PortalServer.Student());
        var missing = await student.FormAsync(HttpMethod.Post, "/portfolio/course-outcomes", new Dictionary<string, string> { ["term"] = "113-1" }, [("a.pdf", PortalServer.Pdf().ToArray(), "application/pdf")]);
        missing.Status.ShouldBe(HttpStatusCode.BadRequest);
        missing.MediaType.ShouldBe("application/problem+json");
        var json = missing.Json;
        json.GetProperty("type").GetString().ShouldBe("urn:portfolio-sdk:diagnostic:PF0401");
        json.GetProperty("status").GetInt32().ShouldBe(400);
        json.GetProperty("message").GetString().ShouldBe("課程代碼為空白");
        json.GetProperty("messageEnglish").GetString().ShouldBe("The course code is empty");
        json.GetProperty("location").GetProperty("path").GetString().ShouldBe("courseCode");
        json.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ShouldBe(["PF0401", "PF5006", "PF5006"]);
        json.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();

        var notJson = await student.Http.PostAsync(new Uri($"/portfolio/course-outcomes/{Guid.NewGuid()}/send", UriKind.Relative), new StringContent("version=1"), UserClient.Token);
        notJson.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        var broken = await student.Http.PostAsync(new Uri($"/portfolio/course-outcomes/{Guid.NewGuid()}/send", UriKind.Relative), new StringContent("{\"version\":", System.Text.Encoding.UTF8, "application/json"), UserClient.Token);
        broken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await broken.Content.ReadAsStringAsync(UserClient.Token)).ShouldContain("PF5012");
    }

    [Fact]
    public void StatusMapping_IsTheDocumentedOne()
    {
        PortfolioProblemDetails.StatusCodeOf("PF5001").ShouldBe(401);
        PortfolioProblemDetails.StatusCodeOf("PF3101").ShouldBe(403);
        PortfolioProblemDetails.StatusCodeOf("PF3116").ShouldBe(404);
        PortfolioProblemDetails.StatusCodeOf("PF3104").ShouldBe(409);
        PortfolioProblemDetails.StatusCodeOf("PF3301").ShouldBe(413);
        PortfolioProblemDetails.StatusCodeOf("PF5004").ShouldBe(415);
        PortfolioProblemDetails.StatusCodeOf("PF5005").ShouldBe(429);
        PortfolioProblemDetails.StatusCodeOf("PF3107").ShouldBe(400);
        PortfolioProblemDetails.StatusCodeOf([Diagnostics.DiagnosticCatalog.Create("PF3305", null, "上傳", "2024-01-01", "2024-02-01", "2024-03-01", "upload"), Diagnostics.DiagnosticCatalog.Create("PF3309", null, "課程學習成果", "exe", "course outcomes")]).ShouldBe(415);
    }
}
