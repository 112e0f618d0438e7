using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal.Pages.Student;

/// <summary>The student's 多元表現 of this school year: upload with proof and 簡述, edit, 勾選 and 取消勾選 under the yearly cap.</summary>
/// <param name="module">The module.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class PerformancesModel(PortfolioModule module, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Gets the student.</summary>
    public DemoStudent Me { get; private set; } = null!;

    /// <summary>Gets the 多元表現 of the year.</summary>
    public IReadOnlyList<PerformanceItem> Items { get; private set; } = [];

    /// <summary>Gets the school year.</summary>
    public SchoolYear Year => School.Term.Year;

    /// <summary>Gets the national cap on selected 多元表現 per year.</summary>
    public int Cap => module.Policy.For(Year).SelectionCaps.PerformancesPerYear;

    /// <summary>Gets how many are selected for this year.</summary>
    public int Selected => Items.Count(p => p.SelectedFor == Year);

    /// <summary>Gets the categories a student may upload (the sheets of the 多元表現 book, but the school's 幹部 records).</summary>
    public IReadOnlyList<RosterSheet> Categories { get; } =
        [.. RosterCatalogue.Default["performances"].Sheets.Where(s => s.Id.StartsWith("performance-", StringComparison.Ordinal) && !s.Id.Contains("cadre", StringComparison.Ordinal))];

    /// <summary>Gets a category's name.</summary>
    /// <param name="category">The sheet id.</param>
    /// <returns>Its Chinese name, or the id.</returns>
    public static string CategoryName(string category) => RosterCatalogue.Default["performances"].FindSheet(category)?.Name ?? category;

    /// <summary>Shows the items.</summary>
    /// <returns>A task.</returns>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Uploads a 多元表現 with its proof file.</summary>
    /// <param name="category">The category (sheet id).</param>
    /// <param name="date">The date it happened (yyyy-MM-dd).</param>
    /// <param name="summary">The 內容簡述.</param>
    /// <param name="file">The proof.</param>
    /// <returns>A task.</returns>
    public async Task OnPostUploadAsync(string? category, string? date, string? summary, IFormFile? file)
    {
        var actor = await ActorAsync();
        var me = School.Students[actor.StudentKey!];
        if (Categories.All(c => c.Id != category) || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Problem = Portfolio.Sdk.Diagnostics.DiagnosticCatalog.Create(Portfolio.Sdk.Diagnostics.DiagnosticCodes.HttpFieldInvalid, Portfolio.Sdk.Diagnostics.DiagnosticLocation.ForPath("category"),
                "category/date", "類別或日期不正確", "the category or the date is not valid");
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            await using var stream = file?.OpenReadStream() ?? Stream.Null;
            var result = await module.UploadPerformanceAsync(actor, new PerformanceUpload
            {
                StudentKey = me.StudentNumber,
                ClassName = me.ClassName,
                Category = category!,
                Date = day,
                Summary = summary,
                Files = file is null ? [] : [stream],
            }, HttpContext.RequestAborted);
            Show(result, $"已上傳「{CategoryName(category!)}」");
        }

        await LoadAsync();
    }

    /// <summary>Edits an item's 簡述 and, when a file is given, replaces its proof (not when selected or locked).</summary>
    /// <param name="id">The item.</param>
    /// <param name="version">The version read.</param>
    /// <param name="summary">The new 簡述.</param>
    /// <param name="file">A new proof, or none to keep it.</param>
    /// <returns>A task.</returns>
    public async Task OnPostEditAsync(Guid id, long version, string? summary, IFormFile? file)
    {
        await using var stream = file?.OpenReadStream() ?? Stream.Null;
        Show(await module.EditPerformanceAsync(await ActorAsync(), id, version, summary, null, file is null ? null : [stream], HttpContext.RequestAborted), "已儲存修改");
        await LoadAsync();
    }

    /// <summary>Selects an item for this year's submission (勾選); items from 1 July of the entry year count.</summary>
    /// <param name="id">The item.</param>
    /// <param name="version">The version read.</param>
    /// <returns>A task.</returns>
    public async Task OnPostSelectAsync(Guid id, long version)
    {
        var actor = await ActorAsync();
        var me = School.Students[actor.StudentKey!];
        Show(await module.SelectPerformanceAsync(actor, id, version, Year, EntryYearOf(me), HttpContext.RequestAborted), "已勾選，將提交至中央資料庫");
        await LoadAsync();
    }

    /// <summary>Unselects an item (取消勾選).</summary>
    /// <param name="id">The item.</param>
    /// <param name="version">The version read.</param>
    /// <returns>A task.</returns>
    public async Task OnPostUnselectAsync(Guid id, long version)
    {
        Show(await module.UnselectPerformanceAsync(await ActorAsync(), id, version, HttpContext.RequestAborted), "已取消勾選");
        await LoadAsync();
    }

    // The class name's first digit is the grade (101: 高一), so the student entered that many years ago.
    private SchoolYear EntryYearOf(DemoStudent student) =>
        student.ClassName is [var g, ..] && g is >= '1' and <= '3' ? new SchoolYear(Year.RocYear - (g - '1')) : Year;

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        Me = School.Students[actor.StudentKey!];
        var items = new List<PerformanceItem>();
        await foreach (var item in module.ListPerformancesAsync(actor, Me.StudentNumber, Year, HttpContext.RequestAborted))
        {
            items.Add(item);
        }

        Items = items;
    }
}
