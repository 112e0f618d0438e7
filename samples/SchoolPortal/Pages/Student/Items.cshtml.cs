using Microsoft.AspNetCore.Mvc;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal.Pages.Student;

/// <summary>The student's 課程學習成果 of this school year: upload with 簡述, 送審, 勾選 and 取消勾選 under the caps.</summary>
/// <param name="module">The module.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class ItemsModel(PortfolioModule module, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Gets the student.</summary>
    public DemoStudent Me { get; private set; } = null!;

    /// <summary>Gets the outcomes.</summary>
    public IReadOnlyList<CourseOutcome> Outcomes { get; private set; } = [];

    /// <summary>Gets the school year.</summary>
    public SchoolYear Year => School.Term.Year;

    /// <summary>Gets the national cap on selected course outcomes per year.</summary>
    public int Cap => module.Policy.For(Year).CourseOutcomeSelectionCap;

    /// <summary>Gets the school's cap per term, if it sets one.</summary>
    public int? PerTermCap => module.Policy.School.SelectionCapPerTerm;

    /// <summary>Gets how many are selected for this year.</summary>
    public int Selected => Outcomes.Count(o => o.SelectedFor == Year);

    /// <summary>Gets the 簡述's maximum length.</summary>
    public int SummaryMax => module.Policy.For(Year).SummaryMaxLength;

    /// <summary>Shows the items.</summary>
    /// <returns>A task.</returns>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Uploads a course outcome: a file and its 簡述 for one of this term's courses.</summary>
    /// <param name="course">The course code.</param>
    /// <param name="summary">The 簡述.</param>
    /// <param name="file">The file.</param>
    /// <returns>A task.</returns>
    public async Task OnPostUploadAsync(string? course, string? summary, IFormFile? file)
    {
        var actor = await ActorAsync();
        var me = School.Students[actor.StudentKey!];
        var chosen = me.Courses.FirstOrDefault(c => c.Term == School.Term && c.Code.Value == course);
        if (chosen is null)
        {
            Problem = Portfolio.Sdk.Diagnostics.DiagnosticCatalog.Create(Portfolio.Sdk.Diagnostics.DiagnosticCodes.PermissionDenied, null, "學生", "上傳未修習課程的成果", "A student", "upload an outcome of a course not taken");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            await using var stream = file?.OpenReadStream() ?? Stream.Null;
            var result = await module.UploadCourseOutcomeAsync(actor, new CourseOutcomeUpload
            {
                StudentKey = me.StudentNumber,
                ClassName = me.ClassName,
                Term = chosen.Term,
                CourseCode = chosen.Code,
                CertifyingTeacher = chosen.TeacherId,
                Summary = summary ?? string.Empty,
                Files = file is null ? [] : [stream],
            }, HttpContext.RequestAborted);
            Show(result, $"已上傳「{chosen.Subject}」的課程學習成果（未送審）");
        }

        await LoadAsync();
    }

    /// <summary>Edits an outcome's 簡述 and, when a file is given, replaces its files (未送審 or 認證不通過 only).</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="version">The version read.</param>
    /// <param name="summary">The new 簡述.</param>
    /// <param name="file">A new file, or none to keep the files.</param>
    /// <returns>A task.</returns>
    public async Task OnPostEditAsync(Guid id, long version, string? summary, IFormFile? file)
    {
        await using var stream = file?.OpenReadStream() ?? Stream.Null;
        Show(await module.EditCourseOutcomeAsync(await ActorAsync(), id, version, summary ?? string.Empty, file is null ? null : [stream], cancellationToken: HttpContext.RequestAborted), "已儲存修改，可以再次送審");
        await LoadAsync();
    }

    /// <summary>Sends an outcome for certification (送審).</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="version">The version read.</param>
    /// <returns>A task.</returns>
    public async Task OnPostSendAsync(Guid id, long version)
    {
        Show(await module.SendForCertificationAsync(await ActorAsync(), id, version, HttpContext.RequestAborted), "已送審，等待授課教師認證");
        await LoadAsync();
    }

    /// <summary>Selects an outcome for this year's submission (勾選).</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="version">The version read.</param>
    /// <returns>A task.</returns>
    public async Task OnPostSelectAsync(Guid id, long version)
    {
        Show(await module.SelectCourseOutcomeAsync(await ActorAsync(), id, version, Year, HttpContext.RequestAborted), "已勾選，將提交至中央資料庫");
        await LoadAsync();
    }

    /// <summary>Unselects an outcome (取消勾選).</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="version">The version read.</param>
    /// <returns>A task.</returns>
    public async Task OnPostUnselectAsync(Guid id, long version)
    {
        Show(await module.UnselectCourseOutcomeAsync(await ActorAsync(), id, version, HttpContext.RequestAborted), "已取消勾選");
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        Me = School.Students[actor.StudentKey!];
        var outcomes = new List<CourseOutcome>();
        await foreach (var outcome in module.ListCourseOutcomesAsync(actor, Me.StudentNumber, Year, cancellationToken: HttpContext.RequestAborted))
        {
            outcomes.Add(outcome);
        }

        Outcomes = outcomes;
    }
}
