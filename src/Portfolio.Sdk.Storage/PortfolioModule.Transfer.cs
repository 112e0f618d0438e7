using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Transfer;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <content>
/// 歷程交換: a transferred student's portfolio exported for the receiving school, and imported from the sending school as
/// that school's history (<see cref="CourseOutcome.TransferredFrom"/>): visible to the student and staff, selectable
/// under the caps where the rules allow, never edited, certified or withdrawn by the receiving school.
/// </content>
public sealed partial class PortfolioModule
{
    // What the receiving school may still do with a transferred item: its own selection and submission of it.
    private static readonly HashSet<string> TransferredItemActions = new(StringComparer.Ordinal)
    {
        "course-outcome.select", "course-outcome.unselect", "course-outcome.lock", "course-outcome.unlock",
        "performance.select", "performance.unselect", "performance.lock", "performance.unlock",
    };

    /// <summary>
    /// Exports a student's whole portfolio (every school year's 課程學習成果, 多元表現 and school-entered cadre records, with
    /// their files) as a transfer package for the receiving school (歷程交換匯出; 系統管理者). The bytes depend only on the
    /// content: records in a stable order, entries at a fixed time. Items transferred in earlier keep their own school.
    /// </summary>
    /// <param name="actor">The 系統管理者.</param>
    /// <param name="request">The student and the sending school.</param>
    /// <param name="output">Where the zip is written; left open.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>What was exported (items of categories the format has no key for are left out with a warning), or the refusal.</returns>
    public async Task<PortfolioResult<TransferExportSummary>> ExportTransferAsync(PortfolioActor actor, TransferExportRequest request, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (actor.Check(PortfolioOperation.ExchangePortfolios, new PortfolioTarget(request.StudentKey)) is { } denied)
        {
            return PortfolioResult<TransferExportSummary>.Refused(denied);
        }

        var warnings = new List<Diagnostic>();
        var files = new Dictionary<string, (string Link, string Sha256)>(StringComparer.OrdinalIgnoreCase);
        var nationalId = request.NationalId.Value;
        var school = request.SchoolCode.Value;

        var outcomes = new List<TransferCourseOutcome>();
        await foreach (var o in _store.StreamAllCourseOutcomesAsync(request.StudentKey, cancellationToken).ConfigureAwait(false))
        {
            var (document, media, more) = await ExportFilesAsync(o.FileHashes, files, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new TransferCourseOutcome
            {
                SchoolCode = o.TransferredFrom ?? school,
                SchoolYear = o.Term.Year.RocYear,
                Term = (int)o.Term.Term,
                NationalId = nationalId,
                CourseCode = o.CourseCode.Value,
                IsVisiting = o.Kind == CourseOutcomeKind.Visiting,
                IsRetake = o.Kind == CourseOutcomeKind.Retake,
                IsMakeup = o.Kind == CourseOutcomeKind.MakeupCourse,
                IsRepeatYear = o.Kind == CourseOutcomeKind.RepeatYear,
                IsBeforeTransfer = o.Kind == CourseOutcomeKind.Transfer,
                DocumentLink = document?.Link,
                DocumentMd5 = document?.Md5,
                MediaLink = media?.Link,
                MediaMd5 = media?.Md5,
                MoreFiles = more,
                Summary = o.Summary,
                CertificationState = TransferPackage.CertificationStates[(int)o.State],
                CertificationNote = o.CertificationNote,
                Submitted = Submitted(o.IsLocked, o.SelectedFor),
            });
        }

        var cadres = new List<TransferPerformance>();
        var byCategory = new Dictionary<string, List<TransferPerformance>>(StringComparer.Ordinal);
        await foreach (var p in _store.StreamAllPerformancesAsync(request.StudentKey, cancellationToken).ConfigureAwait(false))
        {
            if (!p.IsSchoolEntered && !TransferCategories.IsExchanged(p.Category))
            {
                warnings.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferCategoryNotExchanged, DiagnosticLocation.ForPath(p.Id.ToString("D")), p.Category));
                continue;
            }

            JsonElement? fields = null;
            if (p.FieldsJson is { Length: > 0 } json)
            {
                try
                {
                    using var parsed = JsonDocument.Parse(json);
                    fields = parsed.RootElement.ValueKind == JsonValueKind.Object ? parsed.RootElement.Clone() : null;
                }
                catch (JsonException)
                {
                    fields = null;
                }

                if (fields is null)
                {
                    warnings.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferValueInvalid, DiagnosticLocation.ForPath(p.Id.ToString("D")), "類別欄位", "(not a JSON object)"));
                    continue;
                }
            }

            var (document, media, more) = await ExportFilesAsync(p.FileHashes, files, cancellationToken).ConfigureAwait(false);
            var record = new TransferPerformance
            {
                SchoolCode = p.TransferredFrom ?? school,
                NationalId = nationalId,
                Date = p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Summary = p.Summary,
                Fields = fields,
                DocumentLink = document?.Link,
                DocumentMd5 = document?.Md5,
                MediaLink = media?.Link,
                MediaMd5 = media?.Md5,
                MoreFiles = more,
                Submitted = Submitted(p.IsLocked, p.SelectedFor),
            };
            if (p.IsSchoolEntered)
            {
                cadres.Add(record);
            }
            else
            {
                (byCategory.TryGetValue(p.Category, out var list) ? list : byCategory[p.Category] = []).Add(record);
            }
        }

        // A stable order that depends on the content only (never on ids, which differ from store to store).
        var package = new TransferDocument
        {
            Student = new TransferStudent
            {
                SchoolCode = school,
                SchoolYear = request.Term.Year.RocYear,
                Term = (int)request.Term.Term,
                NationalId = nationalId,
                Name = request.Name,
                BirthDate = request.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Cadres = Ordered(cadres, c => c.Date),
            },
            CourseOutcomes = Ordered(outcomes, o => string.Create(CultureInfo.InvariantCulture, $"{o.SchoolYear:D3}-{o.Term}-{o.CourseCode}")),
            Performances = TransferPerformances.From(byCategory.ToDictionary(c => c.Key, c => Ordered(c.Value, p => p.Date), StringComparer.Ordinal)),
        };
        await TransferPackage.WriteAsync(output, package, files.Values.Select(f => new TransferPackageFile(f.Link, ct => _files.OpenVerifiedAsync(f.Sha256, ct))), cancellationToken).ConfigureAwait(false);
        var summary = new TransferExportSummary(outcomes.Count, byCategory.Values.Sum(l => l.Count), cadres.Count, files.Count, warnings.Count);
        return PortfolioResult<TransferExportSummary>.Ok(summary, warnings);

        static IReadOnlyList<T> Ordered<T>(List<T> records, Func<T, string> key)
            where T : class =>
            [.. records.Select(r => (Key: key(r), Json: JsonSerializer.Serialize(r, TransferPackage.SerializerOptions), Record: r))
                .OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Json, StringComparer.Ordinal).Select(r => r.Record)];
    }

    /// <summary>
    /// Imports a transfer package from the sending school (歷程交換匯入; 系統管理者) as that school's history of the student.
    /// The package is checked whole first (<see cref="TransferPackage.ReadAsync"/>): an unreadable package, or one for
    /// another student, is refused; a record with a problem is left out with its diagnostics; the rest are stored,
    /// with their files, in one transaction. Importing the same package again, even concurrently, adds nothing: each
    /// record's id is derived from the student and the record's content.
    /// </summary>
    /// <param name="actor">The 系統管理者.</param>
    /// <param name="request">The student the package is for, as this school knows them.</param>
    /// <param name="package">The zip; seekable.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    /// <returns>The account of the records (read = added + already present + left out), or the refusal.</returns>
    public async Task<PortfolioResult<TransferImportReport>> ImportTransferAsync(PortfolioActor actor, TransferImportRequest request, Stream package, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(package);
        if (actor.Check(PortfolioOperation.ExchangePortfolios, new PortfolioTarget(request.StudentKey, request.ClassName)) is { } denied)
        {
            return PortfolioResult<TransferImportReport>.Refused(denied);
        }

        using var read = await TransferPackage.ReadAsync(package, request.Limits, cancellationToken).ConfigureAwait(false);
        if (!read.IsReadable || read.Document is not { } document)
        {
            return PortfolioResult<TransferImportReport>.Refused([.. read.Diagnostics.Where(d => d.IsError)]);
        }

        if (!string.Equals(document.Student.NationalId, request.NationalId.Value, StringComparison.Ordinal))
        {
            return PortfolioResult<TransferImportReport>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.TransferStudentMismatch, DiagnosticLocation.ForPath("基本資料.國民身分證統一編號(或居留證統一證號)"),
                Privacy.Redaction.MaskIdentifier(document.Student.NationalId), request.NationalId.Masked));
        }

        // Files first (by content: a failed import leaves at most unreferenced blobs), then every record in one transaction.
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var outcomes = new List<CourseOutcome>();
        var performances = new List<PerformanceItem>();
        foreach (var record in read.Records.Where(r => r.IsAccepted))
        {
            foreach (var file in record.Files.Where(f => !hashes.ContainsKey(f.Link)))
            {
                var content = await read.OpenFileAsync(file.Link, cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    hashes[file.Link] = (await _files.PutAsync(content, cancellationToken).ConfigureAwait(false)).Sha256;
                }
            }

            var occurrence = occurrences[record.ContentKey] = occurrences.GetValueOrDefault(record.ContentKey) + 1;
            var id = TransferredId(request.StudentKey, record.ContentKey, occurrence);
            IReadOnlyList<string> fileHashes = [.. record.Files.Select(f => hashes[f.Link]).Distinct(StringComparer.Ordinal)];
            if (record.CourseOutcome is { } o)
            {
                outcomes.Add(new CourseOutcome
                {
                    Id = id,
                    StudentKey = request.StudentKey,
                    ClassName = request.ClassName,
                    Term = new SchoolTerm(new SchoolYear(o.SchoolYear), (Term)o.Term),
                    CourseCode = CourseCode.Parse(o.CourseCode),
                    Kind = o.IsVisiting ? CourseOutcomeKind.Visiting : o.IsRetake ? CourseOutcomeKind.Retake : o.IsMakeup ? CourseOutcomeKind.MakeupCourse
                        : o.IsRepeatYear ? CourseOutcomeKind.RepeatYear : o.IsBeforeTransfer ? CourseOutcomeKind.Transfer : CourseOutcomeKind.Semester,
                    Summary = o.Summary,
                    FileHashes = fileHashes,
                    State = (CertificationState)IndexOf(TransferPackage.CertificationStates, o.CertificationState),
                    CertifyingTeacher = $"transfer:{o.SchoolCode}",
                    CertificationNote = o.CertificationNote,
                    SelectedFor = SubmittedYear(o.Submitted),
                    IsLocked = o.Submitted is not null,
                    TransferredFrom = o.SchoolCode,
                });
            }
            else if (record.Performance is { } p)
            {
                performances.Add(new PerformanceItem
                {
                    Id = id,
                    StudentKey = request.StudentKey,
                    ClassName = request.ClassName,
                    Category = record.Category!,
                    Date = DateOnly.ParseExact(p.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Summary = p.Summary,
                    FieldsJson = p.Fields?.GetRawText(),
                    IsSchoolEntered = record.Kind == TransferRecordKind.SchoolCadre,
                    FileHashes = fileHashes,
                    SelectedFor = SubmittedYear(p.Submitted),
                    IsLocked = p.Submitted is not null,
                    TransferredFrom = p.SchoolCode,
                });
            }
        }

        var (added, present) = await _store.RunAsync(async tx =>
        {
            // The student's years locked in one order, so that two imports of the same student serialize and never deadlock.
            foreach (var year in outcomes.Select(o => o.Term.Year).Concat(performances.Select(p => SchoolYear.FromDate(p.Date))).Distinct().Order())
            {
                await tx.LockStudentYearAsync(request.StudentKey, year, cancellationToken).ConfigureAwait(false);
            }

            int added = 0, present = 0;
            foreach (var outcome in outcomes)
            {
                if (await tx.GetCourseOutcomeAsync(outcome.Id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    present++;
                    continue;
                }

                await tx.InsertAsync(outcome, actor.UserId, "course-outcome.transfer-in", cancellationToken).ConfigureAwait(false);
                added++;
            }

            foreach (var item in performances)
            {
                if (await tx.GetPerformanceAsync(item.Id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    present++;
                    continue;
                }

                await tx.InsertAsync(item, actor.UserId, "performance.transfer-in", cancellationToken).ConfigureAwait(false);
                added++;
            }

            return (added > 0, (added, present));
        }, cancellationToken).ConfigureAwait(false);

        var report = new TransferImportReport(document.Student.SchoolCode, read.RecordsRead, added, present, read.RecordsLeftOut, [.. read.AllDiagnostics]);
        return PortfolioResult<TransferImportReport>.Ok(report, [.. report.Diagnostics.Where(d => !d.IsError)]);
    }

    // A transferred record's id: the same student and content give the same id in every store and every run; the
    // occurrence tells apart identical records of one package.
    private static Guid TransferredId(string studentKey, string contentKey, int occurrence)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"transfer|{studentKey}|{contentKey}|{occurrence}")));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 0;
    }

    private static string? Submitted(bool locked, SchoolYear? selectedFor) =>
        locked && selectedFor is { } year ? string.Create(CultureInfo.InvariantCulture, $"{year.RocYear}-0") : null;

    private static SchoolYear? SubmittedYear(string? submitted) => submitted is null ? null : SchoolTerm.Parse(submitted).Year;

    // The refusal of a change to a transferred item, other than the receiving school's own selection and submission.
    private static Diagnostic? TransferredProblem(string? transferredFrom, string action, PortfolioOperation operation)
    {
        if (transferredFrom is null || TransferredItemActions.Contains(action))
        {
            return null;
        }

        var name = PortfolioDisplayNames.Of(operation);
        return DiagnosticCatalog.Create(DiagnosticCodes.TransferItemReadOnly, null, transferredFrom, name.Chinese, name.English);
    }

    // Each file once in the package, named by its MD5 and its type read from its content: the first document (pdf,
    // jpg, png) is the record's document, the first audio or video its medium, the rest further files, in stored order.
    private async Task<(TransferFile? Document, TransferFile? Media, IReadOnlyList<TransferFile> More)> ExportFilesAsync(
        IReadOnlyList<string> hashes, Dictionary<string, (string Link, string Sha256)> files, CancellationToken cancellationToken)
    {
        TransferFile? document = null, media = null;
        var more = new List<TransferFile>();
        foreach (var sha256 in hashes)
        {
            var (md5, type) = await DescribeAsync(sha256, cancellationToken).ConfigureAwait(false);
            var link = type is { } t ? $"{TransferPackage.FilesFolder}{md5}.{FileSignature.Extension(t)}" : $"{TransferPackage.FilesFolder}{md5}";
            files.TryAdd(sha256, (link, sha256));
            var file = new TransferFile { Link = files[sha256].Link, Md5 = md5 };
            if (document is null && type is PortfolioFileType.Pdf or PortfolioFileType.Jpeg or PortfolioFileType.Png)
            {
                document = file;
            }
            else if (media is null && type is PortfolioFileType.Mp3 or PortfolioFileType.Mp4)
            {
                media = file;
            }
            else
            {
                more.Add(file);
            }
        }

        return (document, media, more);
    }

    private async Task<(string Md5, PortfolioFileType? Type)> DescribeAsync(string sha256, CancellationToken cancellationToken)
    {
        var stream = await _files.OpenVerifiedAsync(sha256, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var header = new byte[FileSignature.HeaderLength];
            var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            stream.Position = 0;
#pragma warning disable CA5351 // MD5 is the exchange format's own checksum of each file, not a security measure; the store keys files by SHA-256.
            var md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
#pragma warning restore CA5351
            return (md5, FileSignature.Detect(header.AsSpan(0, read)));
        }
    }
}
