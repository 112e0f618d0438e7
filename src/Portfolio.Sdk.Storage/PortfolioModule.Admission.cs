using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>Admission preparation (升學備審準備) from the items the student submitted.</content>
public sealed partial class PortfolioModule
{
    /// <summary>
    /// Tells a student what they can bring to each admission route for a 招生學年度 (<see cref="AdmissionPreparation.Assess"/>),
    /// from the items submitted to the central database: the course outcomes and the student's own 多元表現 that are
    /// selected for a school year and locked by a roster submission (school-entered cadre records are not the student's
    /// to bring). Only the student, a 導師 of the student's class (the class of the latest item) and staff who may view
    /// both course outcomes and 多元表現 school-wide may ask; anyone else gets <c>PF3101</c>.
    /// </summary>
    /// <param name="actor">The student, their 導師, or an administrator.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="year">The 招生學年度 (the year the student is admitted, as on the 簡章).</param>
    /// <param name="rules">The admission rules; <see cref="AdmissionRules.Default"/> when <see langword="null"/>.</param>
    /// <param name="codes">The code tables for the names of 科目屬性; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The assessment (every submitted item placed or listed with its reason), or the refusal.</returns>
    public async Task<PortfolioResult<AdmissionAssessment>> AssessAdmissionAsync(PortfolioActor actor, string studentKey, SchoolYear year, AdmissionRules? rules = null, CodeTableCatalog? codes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        var outcomes = new List<CourseOutcome>();
        await foreach (var outcome in _store.StreamSubmittedCourseOutcomesAsync(studentKey, cancellationToken).ConfigureAwait(false))
        {
            outcomes.Add(outcome);
        }

        var performances = new List<PerformanceItem>();
        await foreach (var item in _store.StreamSubmittedPerformancesAsync(studentKey, cancellationToken).ConfigureAwait(false))
        {
            performances.Add(item);
        }

        var className = outcomes.Select(o => (Year: o.SelectedFor!.Value, o.ClassName)).Concat(performances.Select(p => (Year: p.SelectedFor!.Value, p.ClassName)))
            .Where(x => x.ClassName is not null).OrderByDescending(x => x.Year).Select(x => x.ClassName).FirstOrDefault()
            ?? await _store.LatestClassAsync(studentKey, cancellationToken).ConfigureAwait(false);
        var target = new PortfolioTarget(studentKey, className);
        if ((actor.Check(PortfolioOperation.ViewCourseOutcomes, target) ?? actor.Check(PortfolioOperation.ViewPerformances, target)) is { } denied)
        {
            return PortfolioResult<AdmissionAssessment>.Refused(denied);
        }

        IEnumerable<AdmissionItem> items = [.. outcomes.Select(AdmissionItem.From), .. performances.Select(AdmissionItem.From)];
        return PortfolioResult<AdmissionAssessment>.Ok(AdmissionPreparation.Assess(items, year, rules, codes));
    }
}
