using System.Runtime.CompilerServices;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>
/// The views schools run on, scoped by the permission matrix: what an actor may not see is not listed (streams), or the
/// view is refused with <c>PF3101</c> (class and school views). A guardian (家長) is checked against the children whose
/// binding is approved in the store at the time of the call (<see cref="ResolveActorAsync"/>).
/// </content>
public sealed partial class PortfolioModule
{
    /// <summary>Lists a student's course outcomes of a school year (optionally in one state), streamed; only those the actor may view.</summary>
    /// <param name="actor">Who looks: the student, a 導師 of the class, a teacher of the course, staff.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="state">Only this state, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The outcomes by term and course.</returns>
    public async IAsyncEnumerable<CourseOutcome> ListCourseOutcomesAsync(PortfolioActor actor, string studentKey, SchoolYear year, CertificationState? state = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        actor = await ResolveActorAsync(actor, cancellationToken).ConfigureAwait(false);
        await foreach (var outcome in _store.StreamCourseOutcomesAsync(studentKey, year, state, cancellationToken).ConfigureAwait(false))
        {
            if (actor.Can(PortfolioOperation.ViewCourseOutcomes, outcome.Target))
            {
                yield return outcome;
            }
        }
    }

    /// <summary>Lists a student's 多元表現 of a school year (dated in it, or selected for it), streamed; only those the actor may view.</summary>
    /// <param name="actor">Who looks.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The items by date.</returns>
    public async IAsyncEnumerable<PerformanceItem> ListPerformancesAsync(PortfolioActor actor, string studentKey, SchoolYear year, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        actor = await ResolveActorAsync(actor, cancellationToken).ConfigureAwait(false);
        await foreach (var item in _store.StreamPerformancesAsync(studentKey, year, cancellationToken).ConfigureAwait(false))
        {
            if (actor.Can(PortfolioOperation.ViewPerformances, new PortfolioTarget(item.StudentKey, item.ClassName)))
            {
                yield return item;
            }
        }
    }

    /// <summary>Lists the teacher's 待認證 queue: course outcomes waiting for the actor as certifying teacher or proxy, streamed.</summary>
    /// <param name="actor">The teacher.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The outcomes by year, term and class.</returns>
    public async IAsyncEnumerable<CourseOutcome> ListPendingCertificationsAsync(PortfolioActor actor, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await foreach (var outcome in _store.StreamPendingAsync(actor.UserId, cancellationToken).ConfigureAwait(false))
        {
            if (actor.Can(PortfolioOperation.CertifyCourseOutcome, outcome.Target))
            {
                yield return outcome;
            }
        }
    }

    /// <summary>Gets a class's status (班級狀態): per student, course outcomes uploaded, sent, certified, rejected and selected, and 多元表現.</summary>
    /// <param name="actor">A 導師 of the class, or staff.</param>
    /// <param name="year">The school year.</param>
    /// <param name="className">The class.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The students of the class, or a refusal when the actor may not view it.</returns>
    public async Task<PortfolioResult<IReadOnlyList<StudentStatus>>> GetClassStatusAsync(PortfolioActor actor, SchoolYear year, string className, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        if (actor.Check(PortfolioOperation.ViewCourseOutcomes, new PortfolioTarget(ClassName: className)) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<StudentStatus>>.Refused(denied);
        }

        return PortfolioResult<IReadOnlyList<StudentStatus>>.Ok(await _store.StudentStatusesAsync(year, className, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Lists the students who have selected nothing yet for the year (尚未勾選), of one class or the school.</summary>
    /// <param name="actor">A 導師 of the class, or staff (the whole school needs a school-wide view).</param>
    /// <param name="year">The school year.</param>
    /// <param name="className">The class, or <see langword="null"/> for the school.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The students, or a refusal.</returns>
    public async Task<PortfolioResult<IReadOnlyList<StudentStatus>>> ListStudentsWithNothingSelectedAsync(PortfolioActor actor, SchoolYear year, string? className = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Check(PortfolioOperation.ViewCourseOutcomes, new PortfolioTarget(ClassName: className)) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<StudentStatus>>.Refused(denied);
        }

        var students = await _store.StudentStatusesAsync(year, className, cancellationToken).ConfigureAwait(false);
        return PortfolioResult<IReadOnlyList<StudentStatus>>.Ok([.. students.Where(s => s.HasNothingSelected)]);
    }

    /// <summary>Gets the school's statistics for a year by grade, class and certifying teacher (上傳率、認證率、勾選率).</summary>
    /// <param name="actor">Staff with a school-wide view of course outcomes.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The statistics, or a refusal.</returns>
    public async Task<PortfolioResult<SchoolStatistics>> GetSchoolStatisticsAsync(PortfolioActor actor, SchoolYear year, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Check(PortfolioOperation.ViewCourseOutcomes, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<SchoolStatistics>.Refused(denied);
        }

        var students = await _store.StudentStatusesAsync(year, null, cancellationToken).ConfigureAwait(false);
        var teachers = await _store.TeacherStatisticsAsync(year, cancellationToken).ConfigureAwait(false);
        return PortfolioResult<SchoolStatistics>.Ok(new SchoolStatistics(
            year,
            Summarize(StatisticsGroup.Grade, students, s => GradeOf(s.ClassName)),
            Summarize(StatisticsGroup.Class, students, s => s.ClassName ?? string.Empty),
            teachers));
    }

    /// <summary>Counts each student's school-entered cadre records (校內幹部經歷) of a year, of one class or the school.</summary>
    /// <param name="actor">The 校內幹部提交者 or staff; a 導師 for their class.</param>
    /// <param name="year">The school year.</param>
    /// <param name="className">The class, or <see langword="null"/> for the school.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts, or a refusal.</returns>
    public async Task<PortfolioResult<IReadOnlyList<CadreCount>>> GetCadreCountsAsync(PortfolioActor actor, SchoolYear year, string? className = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var target = new PortfolioTarget(ClassName: className);
        if (!actor.Can(PortfolioOperation.ViewCadres, target) && actor.Check(PortfolioOperation.ViewPerformances, target) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<CadreCount>>.Refused(denied);
        }

        var counts = new List<CadreCount>();
        await foreach (var count in _store.StreamCadreCountsAsync(year, className, cancellationToken).ConfigureAwait(false))
        {
            counts.Add(count);
        }

        return PortfolioResult<IReadOnlyList<CadreCount>>.Ok(counts);
    }

    /// <summary>
    /// Opens one file of a course outcome for download (下載檔案), verified against its hash: for those who may view the
    /// outcome (the student, a 導師 of the class, staff) and for the teacher it is sent to (認證教師 or 代理人).
    /// </summary>
    /// <param name="actor">Who downloads.</param>
    /// <param name="id">The course outcome.</param>
    /// <param name="sha256">The file's SHA-256, one of the outcome's <see cref="CourseOutcome.FileHashes"/>.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The file (the caller disposes it), or the refusal: PF3116 no such outcome, PF3101 not allowed, PF5011 not its file.</returns>
    /// <exception cref="PortfolioException">The stored file is missing (PF3402) or corrupted (PF3401).</exception>
    public async Task<PortfolioResult<PortfolioFileDownload>> OpenCourseOutcomeFileAsync(PortfolioActor actor, Guid id, string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(sha256);
        actor = await ResolveActorAsync(actor, cancellationToken).ConfigureAwait(false);   // a guardian reaches only approved children
        var outcome = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            return PortfolioResult<PortfolioFileDownload>.Refused(NotFound("課程學習成果", id, "course outcome"));
        }

        if (!actor.Can(PortfolioOperation.ReviewCourseOutcomes, outcome.Target) && actor.Check(PortfolioOperation.ViewCourseOutcomes, outcome.Target) is { } denied)
        {
            return PortfolioResult<PortfolioFileDownload>.Refused(denied);
        }

        return await OpenItemFileAsync(outcome.FileHashes, sha256, "課程學習成果", "course outcome", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens one proof file of a 多元表現 item for download (下載檔案), verified against its hash, for those who may view the item.</summary>
    /// <param name="actor">Who downloads.</param>
    /// <param name="id">The item.</param>
    /// <param name="sha256">The file's SHA-256, one of the item's <see cref="PerformanceItem.FileHashes"/>.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The file (the caller disposes it), or the refusal: PF3116 no such item, PF3101 not allowed, PF5011 not its file.</returns>
    /// <exception cref="PortfolioException">The stored file is missing (PF3402) or corrupted (PF3401).</exception>
    public async Task<PortfolioResult<PortfolioFileDownload>> OpenPerformanceFileAsync(PortfolioActor actor, Guid id, string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(sha256);
        actor = await ResolveActorAsync(actor, cancellationToken).ConfigureAwait(false);   // a guardian reaches only approved children
        var item = await _store.GetPerformanceAsync(id, cancellationToken).ConfigureAwait(false);
        if (item is null)
        {
            return PortfolioResult<PortfolioFileDownload>.Refused(NotFound("多元表現", id, "performance record"));
        }

        if (actor.Check(PortfolioOperation.ViewPerformances, new PortfolioTarget(item.StudentKey, item.ClassName)) is { } denied)
        {
            return PortfolioResult<PortfolioFileDownload>.Refused(denied);
        }

        return await OpenItemFileAsync(item.FileHashes, sha256, "多元表現", "performance record", cancellationToken).ConfigureAwait(false);
    }

    private async Task<PortfolioResult<PortfolioFileDownload>> OpenItemFileAsync(IReadOnlyList<string> hashes, string sha256, string zh, string en, CancellationToken cancellationToken)
    {
        var hash = hashes.FirstOrDefault(h => string.Equals(h, sha256, StringComparison.OrdinalIgnoreCase));
        if (hash is null)
        {
            return PortfolioResult<PortfolioFileDownload>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.HttpFileNotInItem, DiagnosticLocation.ForPath("sha256"), zh, en));
        }

        var stream = await _files.OpenVerifiedAsync(hash, cancellationToken).ConfigureAwait(false);
        try
        {
            var header = new byte[FileSignature.HeaderLength];
            var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            stream.Position = 0;
            return PortfolioResult<PortfolioFileDownload>.Ok(new PortfolioFileDownload(hash, FileSignature.Detect(header.AsSpan(0, read)), stream.Length, stream));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The grade is the first digit of the class name (101 → 1, 301 → 3), the numbering schools use; otherwise the name.
    private static string GradeOf(string? className) =>
        className is { Length: > 0 } && char.IsAsciiDigit(className[0]) ? className[..1] : className ?? string.Empty;

    private static List<PortfolioStatistics> Summarize(StatisticsGroup group, List<StudentStatus> students, Func<StudentStatus, string> key) =>
    [
        .. students.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new PortfolioStatistics(
            group,
            g.Key,
            g.Count(),
            g.Count(s => s.Uploaded > 0),
            g.Count(s => !s.HasNothingSelected),
            g.Sum(s => s.Uploaded),
            g.Sum(s => s.Sent),
            g.Sum(s => s.Certified),
            g.Sum(s => s.Selected))),
    ];
}
