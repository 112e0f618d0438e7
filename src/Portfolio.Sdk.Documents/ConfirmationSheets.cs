using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Documents;

/// <summary>
/// Builds 學習歷程確認單 from the module's store (匯出歷程確認單): a student's items selected for the school year, with
/// the day the roster submission locked each one (from the audit trail). The student prints their own; a 導師 prints
/// the sheets of their class; staff any (<see cref="PortfolioOperation.PrintConfirmationSheet"/>).
/// </summary>
/// <param name="module">The module service (its views apply the permission matrix).</param>
public sealed class ConfirmationSheets(PortfolioModule module)
{
    // The name fields of the 多元表現 rows, in the order a title is taken from.
    private static readonly string[] TitleFields =
    [
        "competitionName", "certificateName", "postName", "activityName", "courseName", "workName", "serviceName", "itemName", "name", "title",
    ];

    private readonly PortfolioModule _module = module ?? throw new ArgumentNullException(nameof(module));

    /// <summary>Builds a student's sheet.</summary>
    /// <param name="actor">The student, the class's 導師, or staff.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="className">The class, when the student has no items to tell it (a 導師's permission is checked against it).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sheet, or PF3101.</returns>
    public async Task<PortfolioResult<ConfirmationSheet>> BuildAsync(PortfolioActor actor, string studentKey, SchoolYear year, string? className = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        var submitted = await SubmissionDaysAsync(cancellationToken).ConfigureAwait(false);
        return await BuildAsync(actor, studentKey, year, className, submitted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the sheets of every student of a class, for the 導師.</summary>
    /// <param name="actor">The class's 導師, or staff.</param>
    /// <param name="year">The school year.</param>
    /// <param name="className">The class.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sheets by student, or PF3101.</returns>
    public async Task<PortfolioResult<IReadOnlyList<ConfirmationSheet>>> BuildClassAsync(PortfolioActor actor, SchoolYear year, string className, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        if (actor.Check(PortfolioOperation.PrintConfirmationSheet, new PortfolioTarget(ClassName: className)) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<ConfirmationSheet>>.Refused(denied);
        }

        var students = await _module.GetClassStatusAsync(actor, year, className, cancellationToken).ConfigureAwait(false);
        if (!students.Succeeded)
        {
            return PortfolioResult<IReadOnlyList<ConfirmationSheet>>.Refused(students.Diagnostics);
        }

        var submitted = await SubmissionDaysAsync(cancellationToken).ConfigureAwait(false);
        var sheets = new List<ConfirmationSheet>();
        foreach (var student in students.Value.OrderBy(s => s.StudentKey, StringComparer.Ordinal))
        {
            var sheet = await BuildAsync(actor, student.StudentKey, year, className, submitted, cancellationToken).ConfigureAwait(false);
            if (!sheet.Succeeded)
            {
                return PortfolioResult<IReadOnlyList<ConfirmationSheet>>.Refused(sheet.Diagnostics);
            }

            sheets.Add(sheet.Value);
        }

        return PortfolioResult<IReadOnlyList<ConfirmationSheet>>.Ok(sheets);
    }

    private async Task<PortfolioResult<ConfirmationSheet>> BuildAsync(PortfolioActor actor, string studentKey, SchoolYear year, string? className, IReadOnlyDictionary<string, DateOnly> submitted, CancellationToken cancellationToken)
    {
        var items = new List<ConfirmationItem>();
        var classes = new List<string?>();
        await foreach (var outcome in _module.ListCourseOutcomesAsync(actor, studentKey, year, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            classes.Add(outcome.ClassName);
            if (outcome.SelectedFor == year)
            {
                items.Add(new ConfirmationItem(ConfirmationItemKind.CourseOutcome, outcome.Summary, outcome.CourseCode.Value, outcome.Term.ToString(), outcome.State,
                    submitted.TryGetValue(outcome.Id.ToString("D"), out var day) ? day : null));
            }
        }

        await foreach (var item in _module.ListPerformancesAsync(actor, studentKey, year, cancellationToken).ConfigureAwait(false))
        {
            classes.Add(item.ClassName);
            if (item.SelectedFor == year)
            {
                items.Add(new ConfirmationItem(ConfirmationItemKind.Performance, TitleOf(item), CategoryName(item.Category), SchoolTerm.FromDate(item.Date).ToString(), null,
                    submitted.TryGetValue(item.Id.ToString("D"), out var day) ? day : null));
            }
        }

        var studentClass = className ?? classes.FirstOrDefault(c => c is not null);
        if (actor.Check(PortfolioOperation.PrintConfirmationSheet, new PortfolioTarget(studentKey.Trim(), studentClass)) is { } denied)
        {
            return PortfolioResult<ConfirmationSheet>.Refused(denied);
        }

        var ordered = items.OrderBy(i => i.Kind).ThenBy(i => i.Term, StringComparer.Ordinal).ThenBy(i => i.Title, StringComparer.Ordinal).ToList();
        return PortfolioResult<ConfirmationSheet>.Ok(new ConfirmationSheet(year, studentKey.Trim(), studentClass, ordered));
    }

    // The day each item was locked by a roster submission, from the store's audit trail (the last lock counts).
    private async Task<IReadOnlyDictionary<string, DateOnly>> SubmissionDaysAsync(CancellationToken cancellationToken)
    {
        var days = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        await foreach (var entry in _module.Store.ReadAuditAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Action is "course-outcome.lock" or "performance.lock")
            {
                days[entry.EntityId] = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(entry.At, SchoolCalendar.TaiwanTimeZone).DateTime);
            }
        }

        return days;
    }

    private static string CategoryName(string category) =>
        RosterCatalogue.Default.Books.SelectMany(b => b.Sheets).FirstOrDefault(s => s.Id == category)?.Name ?? category;

    private static string TitleOf(PerformanceItem item)
    {
        if (item.FieldsJson is { } json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in TitleFields)
                    {
                        foreach (var property in document.RootElement.EnumerateObject())
                        {
                            if (string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String
                                && !string.IsNullOrWhiteSpace(property.Value.GetString()))
                            {
                                return property.Value.GetString()!.Trim();
                            }
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: the 簡述 or the category names the item.
            }
        }

        return string.IsNullOrWhiteSpace(item.Summary) ? CategoryName(item.Category) : item.Summary.Trim();
    }
}
