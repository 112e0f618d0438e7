using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Workflow;

/// <summary>A 多元表現 item as the selection rules see it.</summary>
public sealed record PerformanceItem
{
    /// <summary>Gets the identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the student's key.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's class.</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the category: the roster sheet identifier, e.g. <c>performance-competition</c>.</summary>
    public required string Category { get; init; }

    /// <summary>Gets the date the performance happened (or started).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>
    /// Gets the category's own fields as the JSON form of its roster row (e.g. a <c>PerformanceCompetitionRow</c>:
    /// 競賽名稱, 獎項 …), or <see langword="null"/>.
    /// </summary>
    public string? FieldsJson { get; init; }

    /// <summary>Gets the 內容簡述, or <see langword="null"/>.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the SHA-256 of each attached proof file (證明文件); a student's own item needs at least one to be selected.</summary>
    public IReadOnlyList<string> FileHashes { get; init; } = [];

    /// <summary>Gets whether the school entered it (校內幹部經歷): such records are not selected and not counted.</summary>
    public bool IsSchoolEntered { get; init; }

    /// <summary>Gets the school year it is selected for, or <see langword="null"/>.</summary>
    public SchoolYear? SelectedFor { get; init; }

    /// <summary>Gets whether a roster submission locked it.</summary>
    public bool IsLocked { get; init; }

    /// <summary>Gets the version, increased by every change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>
    /// Gets the code of the school it was transferred from (轉入, 歷程交換), or <see langword="null"/> for the school's own:
    /// a transferred item is the sending school's history, which the receiving school may select but never edit.
    /// </summary>
    public string? TransferredFrom { get; init; }

    /// <summary>Returns the identifying fields with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"PerformanceItem {{ Id = {Id}, StudentKey = {Redaction.MaskIdentifier(StudentKey)}, Category = {Category}, Version = {Version} }}";
}

/// <summary>
/// Selection of 多元表現 for the central database (勾選): at most 10 a school year; only items dated from 1 July of
/// the entry year; an item from an earlier year may be selected later and counts in the year it is selected;
/// school-entered cadre records are neither selected nor counted.
/// </summary>
public static class PerformanceSelection
{
    /// <summary>The first date a student's 多元表現 may carry: 1 July of the calendar year the student entered.</summary>
    /// <param name="entryYear">The school year the student entered.</param>
    /// <returns>The date.</returns>
    public static DateOnly EarliestDate(SchoolYear entryYear) => new(entryYear.RocYear + SchoolYear.RocOffset, 7, 1);

    /// <summary>The student selects an item for <paramref name="year"/>.</summary>
    /// <param name="item">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="year">The school year of the submission.</param>
    /// <param name="entryYear">The school year the student entered.</param>
    /// <param name="alreadySelected">How many of the student's 多元表現 (not school-entered) are selected for that year.</param>
    /// <param name="caps">The caps.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<PerformanceItem> Select(PerformanceItem item, PortfolioActor actor, long expectedVersion, SchoolYear year, SchoolYear entryYear, int alreadySelected, SelectionCaps caps)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(caps);
        var target = new PortfolioTarget(item.StudentKey, item.ClassName);
        Diagnostic? problem = actor.Check(PortfolioOperation.SelectItems, target)
            ?? (expectedVersion != item.Version ? DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, item.Version) : null)
            ?? (item.IsLocked ? DiagnosticCatalog.Create(DiagnosticCodes.ItemLocked, null) : null)
            ?? (item.IsSchoolEntered ? DiagnosticCatalog.Create(DiagnosticCodes.SchoolEnteredNotSelectable, null) : null)
            ?? (item.Date < EarliestDate(entryYear) ? DiagnosticCatalog.Create(DiagnosticCodes.PerformanceBeforeEntry, null, item.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), EarliestDate(entryYear).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) : null);
        if (problem is not null)
        {
            return WorkflowResult<PerformanceItem>.Refused(problem);
        }

        if (item.SelectedFor == year)
        {
            return WorkflowResult<PerformanceItem>.Ok(item);
        }

        return alreadySelected >= caps.PerformancesPerYear
            ? WorkflowResult<PerformanceItem>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.SelectionCap, null, year.RocYear, alreadySelected, "多元表現", caps.PerformancesPerYear, "performances"))
            : WorkflowResult<PerformanceItem>.Ok(item with { SelectedFor = year, Version = item.Version + 1 });
    }
}
