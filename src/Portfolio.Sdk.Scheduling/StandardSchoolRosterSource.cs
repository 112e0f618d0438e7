using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Sis.YearPackages;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// The standard <see cref="ISchoolRosterSource"/> (標準名冊來源): every roster of a school from the data sources the
/// vendor's <see cref="ISchoolDataSources"/> names for it. The semester books come from the school's SIS through
/// <see cref="TermRosterBuilder.WriteTermAsync(Func{Portfolio.Sdk.Rosters.RosterBook, Stream}, SchoolCode, SchoolTerm, CancellationToken)"/> (學生資料, 校內幹部經歷, 學生成績, 學生重修重讀成績 and the 進修部 book
/// when the SIS has 進修部 students); the per-year 課程學習成果 and 多元表現 packages from its module store through
/// <see cref="YearPackageBuilder"/>, built by the system actor of <see cref="StandardRosterSourceOptions.Actor"/>, and
/// their items are locked once the submission was accepted.
/// </summary>
/// <remarks>
/// <para>Nothing is held in memory whole: each book and package is written to a file of its own in
/// <see cref="StandardRosterSourceOptions.BuildDirectory"/> and opened for the submission with delete-on-close, so the
/// file goes as soon as the submission service has stored its content in the outbox. The semester books are built in
/// one pass over the SIS only when the ledger does not hold them all yet (a second firing reads nothing); a book the
/// ledger already holds is deleted at once and not returned. A package is built only when the job opens it, i.e. when
/// the ledger does not hold it.</para>
/// <para>Every row is accounted for: each book's <see cref="SisRowAccount"/> and each package's packaged and left-out
/// items are logged (event ids 4220–4239), every diagnostic with them (masked, as the builders write them), and handed
/// to each registered <see cref="ISchoolRosterObserver"/>. A book is submitted as built, as any roster is: rows with
/// errors are not in it (left out with their diagnostics), and the gateway's verdict is recorded by the ledger.</para>
/// <para>The lock (提交後鎖定): each package's items and versions are kept in a packaging record under
/// <see cref="StandardRosterSourceOptions.JournalDirectory"/>, named by the package's SHA-256 (the ledger's content
/// hash). When the job finds the package's submission Accepted (or further: ReceiptReceived, Confirmed, Disputed),
/// the items of that record are locked with <see cref="YearPackageBuilder.LockSubmittedAsync"/>, once: the record then
/// says so, and a job re-fired or recovering after a crash before that point locks again without locking anything
/// twice (the builder counts items already locked). An item changed since it was packaged is not locked (PF1119, logged).</para>
/// </remarks>
public sealed partial class StandardSchoolRosterSource : ISchoolRosterSource
{
    private const string ContinuingBook = "continuing-grades";
    private const string StudentBook = "student";
    private const string CourseOutcomesBook = "course-outcomes";
    private const string ContinuingCourseOutcomesBook = "continuing-course-outcomes";
    private const string PerformancesBook = "performances";
    private static readonly SubmissionState[] SubmittedStates = [SubmissionState.Accepted, SubmissionState.ReceiptReceived, SubmissionState.Confirmed, SubmissionState.Disputed];
    private static readonly JsonSerializerOptions JournalJson = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);
    private const string FilePrefix = "portfolio-build-";

    private readonly ISchoolDataSources _sources;
    private readonly Workflow.PortfolioActor _actor;
    private readonly string _buildDirectory;
    private readonly string _journalDirectory;
    private readonly IReadOnlyList<ISchoolRosterObserver> _observers;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    /// <summary>Initializes the source.</summary>
    /// <param name="sources">The vendor's resolver from a school to its SIS and module store.</param>
    /// <param name="outbox">The submission outbox; the packaging records go inside it unless <see cref="StandardRosterSourceOptions.JournalDirectory"/> says otherwise.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    /// <param name="observers">Who hears every build's account and every lock.</param>
    /// <param name="clock">The clock (packaging records, clean-up of abandoned files); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger.</param>
    public StandardSchoolRosterSource(ISchoolDataSources sources, SubmissionOutbox outbox, StandardRosterSourceOptions? options = null,
        IEnumerable<ISchoolRosterObserver>? observers = null, TimeProvider? clock = null, ILogger<StandardSchoolRosterSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(outbox);
        options ??= new StandardRosterSourceOptions();
        ArgumentNullException.ThrowIfNull(options.Actor);
        _sources = sources;
        _actor = options.Actor;
        _buildDirectory = Path.GetFullPath(options.BuildDirectory ?? Path.Combine(Path.GetTempPath(), "portfolio-rosters"));
        _journalDirectory = Path.GetFullPath(options.JournalDirectory ?? Path.Combine(outbox.Directory, "year-packages"));
        _observers = [.. observers ?? []];
        _clock = clock ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SchoolRoster>> SemesterRostersAsync(SchoolCode school, SchoolTerm term, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(school, term.ToString(), cancellationToken).ConfigureAwait(false) is not { } data)
        {
            return [];
        }

        // Built on every firing: the job tells the same content (nothing sent) from a change (the next revision).
        Directory.CreateDirectory(_buildDirectory);
        RemoveAbandonedFiles();
        var prefix = $"{FilePrefix}{school.Value}-{term}-{Guid.NewGuid():N}";
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var builder = new TermRosterBuilder(data.Sis) { DefaultDivision = data.DefaultDivision, Policy = data.Policy ?? PortfolioPolicy.Default };
        IReadOnlyList<TermRosterResult> results;
        try
        {
            results = await builder.WriteTermAsync(book =>
            {
                var path = Path.Combine(_buildDirectory, $"{prefix}-{book.Id}.xlsx");
                files[book.Id] = path;
                return CreateOwnerOnly(path);
            }, school, term, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            files.Values.ToList().ForEach(File.Delete);
            throw;
        }

        foreach (var result in results)
        {
            ReportBook(school, term, result);
        }

        await NotifyAsync(o => o.TermRostersBuiltAsync(school, term, results, cancellationToken)).ConfigureAwait(false);

        // A SIS with no student placed in the term (a wrong term, a profile over the wrong table) would send empty books
        // that the central database accepts: nothing is submitted, and the school is told why.
        if (results.FirstOrDefault(r => r.Book.Id == StudentBook) is { Account.Read: 0 })
        {
            foreach (var path in files.Values)
            {
                File.Delete(path);
            }

            await NotBuiltAsync(school, DiagnosticCatalog.Create(DiagnosticCodes.ScheduledTermEmptyInSis, null, school.Value, term.ToString()), cancellationToken).ConfigureAwait(false);
            return [];
        }
        var rosters = new List<SchoolRoster>();
        foreach (var result in results.OrderBy(r => r.Book.Id == ContinuingBook ? 0 : 1))
        {
            var identity = new SubmissionIdentity(school, result.Book.Id, term);
            var path = files[result.Book.Id];

            rosters.Add(new SchoolRoster(identity, _ => Task.FromResult<Stream>(OpenOnce(path))));
        }

        return rosters;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SchoolRoster>> YearPackagesAsync(SchoolCode school, SchoolYear year, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(school, year.RocYear.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false) is not { } data)
        {
            return [];
        }

        if (data.Module is null)
        {
            await NotBuiltAsync(school, DiagnosticCatalog.Create(DiagnosticCodes.ScheduledSchoolNoModule, null, school.Value, year.RocYear), cancellationToken).ConfigureAwait(false);
            return [];
        }

        var directory = new AsyncLazy(data, year);
        var term = new SchoolTerm(year, Term.WholeYear);
        var rosters = new List<SchoolRoster>();

        // The course outcomes make two packages, the day one and the 進修部 one (its students' items), written by one
        // call; the 進修部 package goes only when it holds an item. Built on every firing, as the semester books: the job
        // tells the same content (nothing sent) from a change (the next revision).
        var (dayPath, continuingPath) = await BuildCourseOutcomesAsync(school, year, data, directory, cancellationToken).ConfigureAwait(false);
        if (continuingPath is not null)
        {
            rosters.Add(new SchoolRoster(new SubmissionIdentity(school, ContinuingCourseOutcomesBook, term), _ => Task.FromResult<Stream>(OpenOnce(continuingPath)))
            {
                SubmittedAsync = (record, ct) => LockAsync(school, year, YearPackageKind.ContinuingCourseOutcomes, data, record, ct),
            });
        }

        rosters.Add(new SchoolRoster(new SubmissionIdentity(school, CourseOutcomesBook, term), _ => Task.FromResult<Stream>(OpenOnce(dayPath)))
        {
            SubmittedAsync = (record, ct) => LockAsync(school, year, YearPackageKind.CourseOutcomes, data, record, ct),
        });

        rosters.Add(new SchoolRoster(new SubmissionIdentity(school, PerformancesBook, term), ct => BuildPackageAsync(school, year, YearPackageKind.Performances, data, directory, ct))
        {
            SubmittedAsync = (record, ct) => LockAsync(school, year, YearPackageKind.Performances, data, record, ct),
        });
        return rosters;
    }

    // Both course-outcome packages to files, each with its packaging record; the 進修部 path is null (its file deleted)
    // when no selected item of the year is a 進修部 student's.
    private async Task<(string Day, string? Continuing)> BuildCourseOutcomesAsync(SchoolCode school, SchoolYear year, SchoolDataSources data, AsyncLazy directory, CancellationToken cancellationToken)
    {
        var builder = new YearPackageBuilder(data.Module!, await directory.GetAsync(cancellationToken).ConfigureAwait(false));
        Directory.CreateDirectory(_buildDirectory);
        RemoveAbandonedFiles();
        var prefix = Path.Combine(_buildDirectory, $"{FilePrefix}{school.Value}-{year.RocYear}-{Guid.NewGuid():N}");
        var dayPath = prefix + "-" + CourseOutcomesBook + ".zip";
        var continuingPath = prefix + "-" + ContinuingCourseOutcomesBook + ".zip";
        try
        {
            PortfolioResult<CourseOutcomePackages> result;
            var day = CreateOwnerOnly(dayPath);
            await using (day.ConfigureAwait(false))
            {
                var continuing = CreateOwnerOnly(continuingPath);
                await using (continuing.ConfigureAwait(false))
                {
                    result = await builder.WriteCourseOutcomesAsync(_actor, school, year, day, continuing, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var (kind, package) in new[] { (YearPackageKind.CourseOutcomes, result.Value?.Day), (YearPackageKind.ContinuingCourseOutcomes, result.Value?.Continuing) })
            {
                var one = package is null ? PortfolioResult<YearPackage>.Refused(result.Problem!) : PortfolioResult<YearPackage>.Ok(package);
                ReportPackage(school, year, kind, one);
                await NotifyAsync(o => o.YearPackageBuiltAsync(school, year, kind, one, cancellationToken)).ConfigureAwait(false);
            }

            if (result.Value is not { } packages)
            {
                throw new PortfolioException(result.Problem ?? DiagnosticCatalog.Create(DiagnosticCodes.PermissionDenied, null));
            }

            await JournalAsync(dayPath, YearPackageKind.CourseOutcomes, school, year, packages.Day, cancellationToken).ConfigureAwait(false);
            if (packages.Continuing.Considered == 0)
            {
                File.Delete(continuingPath);
                return (dayPath, null);
            }

            await JournalAsync(continuingPath, YearPackageKind.ContinuingCourseOutcomes, school, year, packages.Continuing, cancellationToken).ConfigureAwait(false);
            return (dayPath, continuingPath);
        }
        catch
        {
            File.Delete(dayPath);
            File.Delete(continuingPath);
            throw;
        }
    }

    // The packaging record of a written package, named by the file's SHA-256 (the ledger's content hash).
    private async Task JournalAsync(string path, YearPackageKind kind, SchoolCode school, SchoolYear year, YearPackage package, CancellationToken cancellationToken)
    {
        string sha;
        var content = File.OpenRead(path);
        await using (content.ConfigureAwait(false))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
        }

        await WriteJournalAsync(sha, new PackageJournal(kind, school.Value, year.RocYear, [.. package.Packaged], package.Manifest, [.. package.Rows]), overwrite: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Stream> BuildPackageAsync(SchoolCode school, SchoolYear year, YearPackageKind kind, SchoolDataSources data, AsyncLazy directory, CancellationToken cancellationToken)
    {
        var builder = new YearPackageBuilder(data.Module!, await directory.GetAsync(cancellationToken).ConfigureAwait(false));
        Directory.CreateDirectory(_buildDirectory);
        RemoveAbandonedFiles();
        var path = Path.Combine(_buildDirectory, $"{FilePrefix}{school.Value}-{year.RocYear}-{kind}-{Guid.NewGuid():N}.zip");
        PortfolioResult<YearPackage> result;
        try
        {
            var output = CreateOwnerOnly(path);
            await using (output.ConfigureAwait(false))
            {
                result = await builder.WritePerformancesAsync(_actor, school, year, output, cancellationToken).ConfigureAwait(false);
            }

            ReportPackage(school, year, kind, result);
            await NotifyAsync(o => o.YearPackageBuiltAsync(school, year, kind, result, cancellationToken)).ConfigureAwait(false);
            if (result.Value is not { } package)
            {
                throw new PortfolioException(result.Problem ?? DiagnosticCatalog.Create(DiagnosticCodes.PermissionDenied, null));
            }

            await JournalAsync(path, kind, school, year, package, cancellationToken).ConfigureAwait(false);
            return OpenOnce(path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private async Task LockAsync(SchoolCode school, SchoolYear year, YearPackageKind kind, SchoolDataSources data, SubmissionRecord record, CancellationToken cancellationToken)
    {
        if (!SubmittedStates.Contains(record.State))
        {
            LogNotLockedYet(_logger, record.Identity, record.State);
            return;   // pending or sent: a later firing; rejected: nothing was submitted to lock
        }

        var path = JournalPath(record.Sha256);
        if (await ReadJournalAsync(path, cancellationToken).ConfigureAwait(false) is not { } journal)
        {
            await NotBuiltAsync(school, DiagnosticCatalog.Create(DiagnosticCodes.YearPackageJournalMissing, null, record.Identity.ToString(), record.Sha256[..12]), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (journal.LockedAt is { } lockedAt)
        {
            LogLockedBefore(_logger, record.Identity, lockedAt);
            return;
        }

        var package = YearPackage.Restore(kind, school, year, journal.Items, journal.Manifest, journal.Rows);
        var result = await new YearPackageBuilder(data.Module!, NoDirectory.Instance).LockSubmittedAsync(_actor, package, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } done)
        {
            LogLocked(_logger, record.Identity, _actor.UserId, done.Locked, done.AlreadyLocked, done.Refused.Count);
            var where = record.Identity.ToString();
            foreach (var diagnostic in done.Refused.SelectMany(r => r.Diagnostics))
            {
                LogDiagnostic(where, diagnostic);
            }

            await WriteJournalAsync(record.Sha256, journal with { LockedAt = _clock.GetUtcNow(), Locked = done.Locked, AlreadyLocked = done.AlreadyLocked, Refused = done.Refused.Count }, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogLockRefused(_logger, record.Identity, _actor.UserId, result.Problem?.Code ?? "?", result.Problem?.MessageEnglish ?? string.Empty);
        }

        await NotifyAsync(o => o.YearPackageLockedAsync(record, result, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<SchoolDataSources?> ResolveAsync(SchoolCode school, string when, CancellationToken cancellationToken)
    {
        if (await _sources.FindAsync(school, cancellationToken).ConfigureAwait(false) is { } data)
        {
            return data;
        }

        await NotBuiltAsync(school, DiagnosticCatalog.Create(DiagnosticCodes.ScheduledSchoolUnknown, null, school.Value, when), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task NotBuiltAsync(SchoolCode school, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        LogNotBuilt(_logger, school.Value, diagnostic.Code, diagnostic.MessageEnglish);
        await NotifyAsync(o => o.NotBuiltAsync(school, diagnostic, cancellationToken)).ConfigureAwait(false);
    }

    private async Task NotifyAsync(Func<ISchoolRosterObserver, Task> call)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await call(observer).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // an observer's failure must not stop the submissions: it is logged
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                if (_logger.IsEnabled(LogLevel.Warning))
                {
                    LogObserverFailed(_logger, observer.GetType(), ex.GetType());
                }
            }
        }
    }

    private void ReportBook(SchoolCode school, SchoolTerm term, TermRosterResult result)
    {
        var account = result.Account;
        var causes = string.Join(", ", account.LeftOutByCause.Where(c => c.Value > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}")));
        var other = string.Join(", ", account.ForOtherBooks.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}")));
        LogBook(_logger, school.Value, term, result.Book.Id, result.Rows, account.Read, account.Written, account.LeftOut, causes, other);
        if (!account.Balances)
        {
            LogUnbalanced(_logger, school.Value, result.Book.Id, account.Read, account.Written, account.LeftOut);
        }

        var where = $"{school.Value}/{result.Book.Id}/{term}";
        foreach (var diagnostic in result.Diagnostics)
        {
            LogDiagnostic(where, diagnostic);
        }
    }

    private void ReportPackage(SchoolCode school, SchoolYear year, YearPackageKind kind, PortfolioResult<YearPackage> result)
    {
        var where = $"{school.Value}/{kind}/{year.RocYear}";
        if (result.Value is { } package)
        {
            LogPackage(_logger, where, package.Considered, package.Packaged.Count, package.LeftOut.Count, _actor.UserId);
            foreach (var diagnostic in package.Diagnostics)
            {
                LogDiagnostic(where, diagnostic);
            }
        }
        else
        {
            LogPackageRefused(_logger, where, _actor.UserId, result.Problem?.Code ?? "?", result.Problem?.MessageEnglish ?? string.Empty);
        }
    }

    // Diagnostics are written masked by the builders (students by masked 學號, never a 身分證號 or a name).
    private void LogDiagnostic(string where, Diagnostic diagnostic)
    {
        var location = diagnostic.Location;
        if (diagnostic.IsError)
        {
            LogError(_logger, where, diagnostic.Code, location, diagnostic.MessageEnglish);
        }
        else
        {
            LogWarning(_logger, where, diagnostic.Code, diagnostic.Severity, location, diagnostic.MessageEnglish);
        }
    }

    // A book or package being built holds 身分證號: on Unix only its owner may read it (0600).
    private static FileStream CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 81920, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    // Opened for the submission: the file goes when the stream is closed (the outbox has a copy by then).
    private static FileStream OpenOnce(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan | FileOptions.DeleteOnClose);

    // Files a killed process (or a roster the job did not open) left, a day old or more.
    private void RemoveAbandonedFiles()
    {
        var before = _clock.GetUtcNow().UtcDateTime - StaleAfter;
        foreach (var path in Directory.EnumerateFiles(_buildDirectory, FilePrefix + "*"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) < before)
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // in use or gone: another firing's
            }
        }
    }

    private string JournalPath(string sha256) =>
        sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigitLower)
            ? Path.Combine(_journalDirectory, sha256 + ".json")
            : throw new ArgumentException("A SHA-256 is 64 lower-case hex digits.", nameof(sha256));

    private async Task WriteJournalAsync(string sha256, PackageJournal journal, bool overwrite, CancellationToken cancellationToken)
    {
        var path = JournalPath(sha256);
        if (!overwrite && File.Exists(path))
        {
            return;   // the same content was packaged before (a firing stopped before its submission): keep that record
        }

        Directory.CreateDirectory(_journalDirectory);
        var incoming = $"{path}.incoming-{Guid.NewGuid():N}";
        var file = File.Create(incoming);
        await using (file.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(file, journal, JournalJson, cancellationToken).ConfigureAwait(false);
        }

        File.Move(incoming, path, overwrite);
    }

    private static async Task<PackageJournal?> ReadJournalAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                // A record that does not read whole (damaged, or edited by hand) is as good as none: nothing is locked blindly.
                return await JsonSerializer.DeserializeAsync<PackageJournal>(file, JournalJson, cancellationToken).ConfigureAwait(false) is { Items: not null, Manifest: not null, School: not null, Rows: not null } journal
                    && journal.Items.All(i => i is not null) && journal.Rows.All(r => r is { Sheet: not null, RowKeySha256: not null })
                    ? journal
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    [LoggerMessage(EventId = 4220, Level = LogLevel.Error, Message = "{School}: {Code} {Message}")]
    private static partial void LogNotBuilt(ILogger logger, string school, string code, string message);

    [LoggerMessage(EventId = 4222, Level = LogLevel.Information, Message = "{School} {Term} {Book}: {Rows} rows written; SIS rows read {Read} = written {Written} + left out {LeftOut} ({Causes}) + for other books ({OtherBooks})")]
    private static partial void LogBook(ILogger logger, string school, SchoolTerm term, string book, int rows, int read, int written, int leftOut, string causes, string otherBooks);

    [LoggerMessage(EventId = 4223, Level = LogLevel.Error, Message = "{School} {Book}: the SIS row account does not balance (read {Read}, written {Written}, left out {LeftOut})")]
    private static partial void LogUnbalanced(ILogger logger, string school, string book, int read, int written, int leftOut);

    [LoggerMessage(EventId = 4224, Level = LogLevel.Warning, Message = "{Roster}: {Code} at {Location}: {Message}")]
    private static partial void LogError(ILogger logger, string roster, string code, DiagnosticLocation? location, string message);

    [LoggerMessage(EventId = 4225, Level = LogLevel.Information, Message = "{Roster}: {Code} ({Severity}) at {Location}: {Message}")]
    private static partial void LogWarning(ILogger logger, string roster, string code, DiagnosticSeverity severity, DiagnosticLocation? location, string message);

    [LoggerMessage(EventId = 4226, Level = LogLevel.Information, Message = "{Package}: {Considered} items considered = {Packaged} packaged + {LeftOut} left out (built by {Actor})")]
    private static partial void LogPackage(ILogger logger, string package, int considered, int packaged, int leftOut, string actor);

    [LoggerMessage(EventId = 4227, Level = LogLevel.Error, Message = "{Package}: refused to {Actor}: {Code} {Message}")]
    private static partial void LogPackageRefused(ILogger logger, string package, string actor, string code, string message);

    [LoggerMessage(EventId = 4228, Level = LogLevel.Debug, Message = "{Submission} is {State}: its items are locked only once it is accepted")]
    private static partial void LogNotLockedYet(ILogger logger, SubmissionIdentity submission, SubmissionState state);

    [LoggerMessage(EventId = 4229, Level = LogLevel.Debug, Message = "{Submission}: its items were locked at {LockedAt}")]
    private static partial void LogLockedBefore(ILogger logger, SubmissionIdentity submission, DateTimeOffset lockedAt);

    [LoggerMessage(EventId = 4230, Level = LogLevel.Information, Message = "{Submission} accepted: {Locked} items locked by {Actor}, {AlreadyLocked} already locked, {Refused} not locked")]
    private static partial void LogLocked(ILogger logger, SubmissionIdentity submission, string actor, int locked, int alreadyLocked, int refused);

    [LoggerMessage(EventId = 4231, Level = LogLevel.Error, Message = "{Submission}: locking refused to {Actor}: {Code} {Message}; the next firing tries again")]
    private static partial void LogLockRefused(ILogger logger, SubmissionIdentity submission, string actor, string code, string message);

    [LoggerMessage(EventId = 4232, Level = LogLevel.Warning, Message = "Roster observer {Observer} failed ({Error}); the submissions go on")]
    private static partial void LogObserverFailed(ILogger logger, Type observer, Type error);

    // The packaging record of one package, by its SHA-256: what the lock after the submission locks.
    // Rows: the receipt row each item became (sheet, SHA-256 of the row key), recorded by the lock for upheld disputes.
    private sealed record PackageJournal(YearPackageKind Kind, string School, int Year, IReadOnlyList<YearPackageItem> Items, RosterPackageManifest Manifest,
        IReadOnlyList<YearPackageRow> Rows)
    {
        public DateTimeOffset? LockedAt { get; init; }

        public int Locked { get; init; }

        public int AlreadyLocked { get; init; }

        public int Refused { get; init; }
    }

    // The year's directory, read from the SIS once per firing and only when a package is built.
    private sealed class AsyncLazy(SchoolDataSources data, SchoolYear year)
    {
        private IYearPackageDirectory? _directory = data.PackageDirectory;

        public async Task<IYearPackageDirectory> GetAsync(CancellationToken cancellationToken) =>
            _directory ??= await SisYearPackageDirectory.LoadAsync(data.Sis, year, cancellationToken).ConfigureAwait(false);
    }

    // Locking needs no directory (it reads only the module's store).
    private sealed class NoDirectory : IYearPackageDirectory
    {
        public static readonly NoDirectory Instance = new();

        public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken) => ValueTask.FromResult<NationalId?>(null);

        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken) => ValueTask.FromResult<YearPackageCourse?>(null);
    }
}
