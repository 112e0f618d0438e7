using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>The endpoints' handlers: each reads the request, calls the module once and maps its result.</summary>
internal static partial class PortfolioEndpointHandlers
{
    private static readonly object CodeKey = new();
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static string? CodeOf(HttpContext context) => context.Items.TryGetValue(CodeKey, out var code) ? code as string : null;

    [LoggerMessage(EventId = 5008, Level = LogLevel.Error, Message = "Portfolio endpoint {Endpoint} failed ({Code}): {ExceptionType}: {Detail}")]
    public static partial void LogFailure(ILogger logger, string endpoint, string code, string? exceptionType, string? detail);

    // ---------------------------------------------------------------- 學生

    public static async Task<IResult> ListMyItemsAsync(HttpContext context, string? year, [FromServices] PortfolioModule module, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        if (Year(year, "year") is { Success: false } bad)
        {
            return Problem(bad.Diagnostics, context);
        }

        if (actor.StudentKey is not { } student)
        {
            return Problem([PortfolioProblemDetails.Denied(actor, PortfolioOperation.ViewCourseOutcomes)], context);
        }

        var schoolYear = Year(year, "year").Value;
        var outcomes = new List<CourseOutcomeView>();
        await foreach (var outcome in module.ListCourseOutcomesAsync(actor, student, schoolYear, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            outcomes.Add(CourseOutcomeView.Of(outcome));
        }

        var performances = new List<PerformanceView>();
        await foreach (var item in module.ListPerformancesAsync(actor, student, schoolYear, cancellationToken).ConfigureAwait(false))
        {
            performances.Add(PerformanceView.Of(item));
        }

        var caps = module.Policy.For(schoolYear).SelectionCaps;
        return TypedResults.Ok(new StudentItemsView(schoolYear.RocYear, outcomes, performances, caps.CourseOutcomesPerYear, caps.PerformancesPerYear));
    }

    public static async Task<IResult> UploadCourseOutcomeAsync(HttpContext context, [FromServices] PortfolioModule module, [FromServices] FileSystemContentStore files, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        if (actor.StudentKey is not { } student)
        {
            return Problem([PortfolioProblemDetails.Denied(actor, PortfolioOperation.EditOwnPortfolio)], context);
        }

        var (upload, problems) = await MultipartUpload.ReadAsync(context, files, module.Policy, f => f.TryGetValue("term", out var t) && SchoolTerm.TryParse(t, out var term) ? module.Policy.For(term.Year) : null, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return Problem(problems!, context);
        }

        await using (upload.ConfigureAwait(false))
        {
            var diagnostics = new List<Diagnostic>();
            var term = SchoolTerm.Validate(upload.Field("term"), DiagnosticLocation.ForPath("term"));
            var course = CourseCode.Validate(upload.Field("courseCode"), DiagnosticLocation.ForPath("courseCode"));
            diagnostics.AddRange(term.Diagnostics.Where(d => d.IsError));
            diagnostics.AddRange(course.Diagnostics.Where(d => d.IsError));
            var summary = Required(upload, "summary", diagnostics);
            var teacher = Required(upload, "certifyingTeacher", diagnostics);
            var kind = CourseOutcomeKind.Semester;
            if (upload.Field("kind") is { } kindText && (!Enum.TryParse(kindText, ignoreCase: true, out kind) || !Enum.IsDefined(kind)))
            {
                diagnostics.Add(Invalid("kind", "不是課程類別（Semester、MakeupCourse …）", "is not a kind of course (Semester, MakeupCourse …)"));
            }

            var className = ClassOf(actor, upload, diagnostics);
            if (diagnostics.Count > 0 || !term.Success || !course.Success)
            {
                return Problem(diagnostics, context);
            }

            var result = await module.UploadCourseOutcomeAsync(actor, new CourseOutcomeUpload
            {
                StudentKey = student,
                ClassName = className,
                Term = term.Value,
                CourseCode = course.Value,
                Kind = kind,
                Summary = summary!,
                CertifyingTeacher = teacher!,
                IsGroupWork = Flag(upload, "isGroupWork"),
                Files = await upload.OpenFilesAsync(cancellationToken).ConfigureAwait(false),
            }, cancellationToken).ConfigureAwait(false);
            return result.Succeeded
                ? TypedResults.Created($"{context.Request.PathBase}{context.Request.Path}/{result.Value!.Id:D}", CourseOutcomeView.Of(result.Value))
                : Problem(result.Diagnostics, context);
        }
    }

    public static async Task<IResult> UploadPerformanceAsync(HttpContext context, [FromServices] PortfolioModule module, [FromServices] FileSystemContentStore files, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        if (actor.StudentKey is not { } student)
        {
            return Problem([PortfolioProblemDetails.Denied(actor, PortfolioOperation.EditOwnPortfolio)], context);
        }

        var (upload, problems) = await MultipartUpload.ReadAsync(context, files, module.Policy, f => f.TryGetValue("date", out var d) && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? module.Policy.For(SchoolYear.FromDate(date)) : null, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return Problem(problems!, context);
        }

        await using (upload.ConfigureAwait(false))
        {
            var diagnostics = new List<Diagnostic>();
            var category = Required(upload, "category", diagnostics);
            DateOnly date = default;
            if (upload.Field("date") is not { } dateText || !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                diagnostics.Add(Invalid("date", "應為日期 yyyy-MM-dd", "must be a date yyyy-MM-dd"));
            }

            var className = ClassOf(actor, upload, diagnostics);
            if (diagnostics.Count > 0)
            {
                return Problem(diagnostics, context);
            }

            var result = await module.UploadPerformanceAsync(actor, new PerformanceUpload
            {
                StudentKey = student,
                ClassName = className,
                Category = category!,
                Date = date,
                Summary = upload.Field("summary"),
                FieldsJson = upload.Field("fieldsJson"),
                IsGroupWork = Flag(upload, "isGroupWork"),
                Files = await upload.OpenFilesAsync(cancellationToken).ConfigureAwait(false),
            }, cancellationToken).ConfigureAwait(false);
            return result.Succeeded
                ? TypedResults.Created($"{context.Request.PathBase}{context.Request.Path}/{result.Value!.Id:D}", PerformanceView.Of(result.Value))
                : Problem(result.Diagnostics, context);
        }
    }

    public static async Task<IResult> EditCourseOutcomeAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, [FromServices] FileSystemContentStore files, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        var (upload, problems) = await MultipartUpload.ReadAsync(context, files, module.Policy, _ => null, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return Problem(problems!, context);
        }

        await using (upload.ConfigureAwait(false))
        {
            var diagnostics = new List<Diagnostic>();
            var version = VersionOf(upload, diagnostics);
            var summary = Required(upload, "summary", diagnostics);
            if (diagnostics.Count > 0)
            {
                return Problem(diagnostics, context);
            }

            var streams = upload.Files.Count == 0 ? null : await upload.OpenFilesAsync(cancellationToken).ConfigureAwait(false);
            var result = await module.EditCourseOutcomeAsync(actor, id, version, summary!, streams, Flag(upload, "isGroupWork"), cancellationToken).ConfigureAwait(false);
            return Map(result, CourseOutcomeView.Of, context);
        }
    }

    public static async Task<IResult> EditPerformanceAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, [FromServices] FileSystemContentStore files, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        var (upload, problems) = await MultipartUpload.ReadAsync(context, files, module.Policy, _ => null, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return Problem(problems!, context);
        }

        await using (upload.ConfigureAwait(false))
        {
            var diagnostics = new List<Diagnostic>();
            var version = VersionOf(upload, diagnostics);
            if (diagnostics.Count > 0)
            {
                return Problem(diagnostics, context);
            }

            var streams = upload.Files.Count == 0 ? null : await upload.OpenFilesAsync(cancellationToken).ConfigureAwait(false);
            var result = await module.EditPerformanceAsync(actor, id, version, upload.Field("summary"), upload.Field("fieldsJson"), streams, cancellationToken).ConfigureAwait(false);
            return Map(result, PerformanceView.Of, context);
        }
    }

    public static Task<IResult> SendAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<VersionRequest>(context, async (actor, body) =>
            Map(await module.SendForCertificationAsync(actor, id, body.Version, cancellationToken).ConfigureAwait(false), CourseOutcomeView.Of, context), cancellationToken);

    public static Task<IResult> SelectCourseOutcomeAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<SelectRequest>(context, async (actor, body) =>
            Year(body.Year.ToString(CultureInfo.InvariantCulture), "year") is { Success: true } year
                ? Map(await module.SelectCourseOutcomeAsync(actor, id, body.Version, year.Value, cancellationToken).ConfigureAwait(false), CourseOutcomeView.Of, context)
                : Problem(Year(body.Year.ToString(CultureInfo.InvariantCulture), "year").Diagnostics, context), cancellationToken);

    public static Task<IResult> UnselectCourseOutcomeAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<VersionRequest>(context, async (actor, body) =>
            Map(await module.UnselectCourseOutcomeAsync(actor, id, body.Version, cancellationToken).ConfigureAwait(false), CourseOutcomeView.Of, context), cancellationToken);

    public static Task<IResult> SelectPerformanceAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<SelectRequest>(context, async (actor, body) =>
        {
            var year = Year(body.Year.ToString(CultureInfo.InvariantCulture), "year");
            var entry = Year(body.EntryYear?.ToString(CultureInfo.InvariantCulture), "entryYear");
            if (!year.Success || !entry.Success)
            {
                return Problem([.. year.Diagnostics.Concat(entry.Diagnostics).Where(d => d.IsError)], context);
            }

            return Map(await module.SelectPerformanceAsync(actor, id, body.Version, year.Value, entry.Value, cancellationToken).ConfigureAwait(false), PerformanceView.Of, context);
        }, cancellationToken);

    public static Task<IResult> UnselectPerformanceAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<VersionRequest>(context, async (actor, body) =>
            Map(await module.UnselectPerformanceAsync(actor, id, body.Version, cancellationToken).ConfigureAwait(false), PerformanceView.Of, context), cancellationToken);

    public static Task<IResult> ConfirmReceiptAsync(HttpContext context, string submissionKey, CancellationToken cancellationToken) =>
        RecordConfirmationAsync(context, submissionKey, ConfirmationDecision.Confirm, null, cancellationToken);

    public static Task<IResult> DisputeReceiptAsync(HttpContext context, string submissionKey, CancellationToken cancellationToken) =>
        WithBodyAsync<DisputeRequest>(context, (_, body) => string.IsNullOrWhiteSpace(body.Note)
            ? Task.FromResult(Problem([Invalid("note", "請說明哪裡有誤", "must say what is wrong")], context))
            : RecordConfirmationAsync(context, submissionKey, ConfirmationDecision.Dispute, body.Note.Trim(), cancellationToken), cancellationToken);

    // The student confirms or disputes their own row of a receipt: the key is the actor's, never the request's.
    private static async Task<IResult> RecordConfirmationAsync(HttpContext context, string submissionKey, ConfirmationDecision decision, string? note, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        if (context.RequestServices.GetService<SubmissionService>() is not { } submissions)
        {
            return Problem([DiagnosticCatalog.Create(DiagnosticCodes.HttpReceiptsNotConfigured, null)], context);
        }

        if (actor.StudentKey is not { } student)
        {
            return Problem([PortfolioProblemDetails.Denied(actor, PortfolioOperation.SelectItems)], context);
        }

        var result = await submissions.RecordConfirmationAsync(submissionKey, student, decision, note, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok(ConfirmationView.Of(result.Value!)) : Problem(result.Diagnostics, context);
    }

    // ---------------------------------------------------------------- 收訖明細, row by row (ConfirmationDesk)

    public static async Task<IResult> ListMyReceiptsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        if (Desk(context) is not { } desk)
        {
            return Problem([DiagnosticCatalog.Create(DiagnosticCodes.HttpReceiptsNotConfigured, null)], context);
        }

        var result = await desk.ListOwnReceiptsAsync(actor, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok<IReadOnlyList<ReceiptView>>([.. result.Value!.Select(ReceiptView.Of)]) : Problem(result.Diagnostics, context);
    }

    public static Task<IResult> ConfirmReceiptRowAsync(HttpContext context, string submissionKey, int row, CancellationToken cancellationToken) =>
        WithBodyAsync<RowAnswerRequest>(context, (actor, body) => AnswerRowAsync(context, actor, submissionKey, row, ConfirmationDecision.Confirm, null, body.Version, cancellationToken), cancellationToken);

    public static Task<IResult> DisputeReceiptRowAsync(HttpContext context, string submissionKey, int row, CancellationToken cancellationToken) =>
        WithBodyAsync<RowAnswerRequest>(context, (actor, body) => AnswerRowAsync(context, actor, submissionKey, row, ConfirmationDecision.Dispute, body.Note, body.Version, cancellationToken), cancellationToken);

    // The desk checks that the row is the actor's own (the key is the actor's, never the request's), the window and the version.
    private static async Task<IResult> AnswerRowAsync(HttpContext context, PortfolioActor actor, string submissionKey, int row, ConfirmationDecision decision, string? note, long version, CancellationToken cancellationToken)
    {
        if (Desk(context) is not { } desk)
        {
            return Problem([DiagnosticCatalog.Create(DiagnosticCodes.HttpReceiptsNotConfigured, null)], context);
        }

        if (version < 0)
        {
            return Problem([Invalid("version", "應為讀到的版本（未作答為 0）", "must be the version read (0 when unanswered)")], context);
        }

        var answered = await desk.AnswerAsync(actor, submissionKey, row, decision, note, version, cancellationToken).ConfigureAwait(false);
        if (!answered.Succeeded)
        {
            return Problem(answered.Diagnostics, context);
        }

        var rows = await desk.ListRowsAsync(actor, submissionKey, answered.Value!.StudentKey, cancellationToken).ConfigureAwait(false);
        // The answer as this request saved it (a later answer may already be there).
        return rows.Value?.FirstOrDefault(r => r.Row == row) is { } saved ? TypedResults.Ok(ReceiptRowView.Of(saved with { Answer = answered.Value })) : Problem(rows.Diagnostics, context);
    }

    public static async Task<IResult> ListReceiptDisputesAsync(HttpContext context, string? all, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        if (Desk(context) is not { } desk)
        {
            return Problem([DiagnosticCatalog.Create(DiagnosticCodes.HttpReceiptsNotConfigured, null)], context);
        }

        if (all is not (null or "true" or "false"))
        {
            return Problem([Invalid("all", "應為 true 或 false", "must be true or false")], context);
        }

        var result = await desk.ListOpenDisputesAsync(actor, all == "true", cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok<IReadOnlyList<DisputeView>>([.. result.Value!.Select(DisputeView.Of)]) : Problem(result.Diagnostics, context);
    }

    public static Task<IResult> DecideReceiptDisputeAsync(HttpContext context, string submissionKey, int row, CancellationToken cancellationToken) =>
        WithBodyAsync<DisputeDecisionRequest>(context, async (actor, body) =>
        {
            if (Desk(context) is not { } desk)
            {
                return Problem([DiagnosticCatalog.Create(DiagnosticCodes.HttpReceiptsNotConfigured, null)], context);
            }

            var problems = new List<Diagnostic>();
            if (body.Version <= 0)
            {
                problems.Add(Invalid("version", "應為讀到的版本（正整數）", "must be the version read (a positive integer)"));
            }

            DisputeVerdict? verdict = body.Verdict?.Trim().ToUpperInvariant() switch
            {
                "UPHELD" => DisputeVerdict.Upheld,
                "REJECTED" => DisputeVerdict.Rejected,
                _ => null,
            };
            if (verdict is null)
            {
                problems.Add(Invalid("verdict", "應為 Upheld（更正屬實）或 Rejected（駁回）", "must be Upheld or Rejected"));
            }

            if (problems.Count > 0)
            {
                return Problem(problems, context);
            }

            var decided = await desk.DecideAsync(actor, submissionKey, row, verdict!.Value, body.Reason, body.Version, cancellationToken).ConfigureAwait(false);
            if (!decided.Succeeded)
            {
                return Problem(decided.Diagnostics, context);
            }

            var decision = decided.Value!;
            var disputes = await desk.ListOpenDisputesAsync(actor, includeDecided: true, cancellationToken).ConfigureAwait(false);
            return disputes.Value?.FirstOrDefault(d => d.Submission.IdempotencyKey == submissionKey && d.Row.Row == row) is { } dispute
                ? TypedResults.Ok(new DisputeDecisionView(DisputeView.Of(dispute with { Row = dispute.Row with { Answer = decision.Answer } }),
                    decision.Unlock?.Outcome.ToString(), decision.Unlock?.Kind?.ToString(), decision.Unlock?.ItemId, [.. decision.UnlockRefused.Select(DiagnosticView.Of)]))
                : Problem(disputes.Diagnostics, context);
        }, cancellationToken);

    // The desk comes with the submission service (AddPortfolioSubmission); without it the receipt endpoints answer PF5010.
    private static ConfirmationDesk? Desk(HttpContext context) =>
        context.RequestServices.GetService<SubmissionService>() is null ? null : context.RequestServices.GetService<ConfirmationDesk>();

    // ---------------------------------------------------------------- 授課教師

    public static async Task<IResult> ListPendingAsync(HttpContext context, [FromServices] PortfolioModule module, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        var pending = new List<CourseOutcomeView>();
        await foreach (var outcome in module.ListPendingCertificationsAsync(actor, cancellationToken).ConfigureAwait(false))
        {
            pending.Add(CourseOutcomeView.Of(outcome));
        }

        return TypedResults.Ok(pending);
    }

    public static Task<IResult> CertifyAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<VersionRequest>(context, async (actor, body) =>
            Map(await module.CertifyAsync(actor, id, body.Version, cancellationToken).ConfigureAwait(false), CourseOutcomeView.Of, context), cancellationToken);

    public static Task<IResult> RejectAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<RejectRequest>(context, async (actor, body) =>
            Map(await module.RejectAsync(actor, id, body.Version, body.Reason, cancellationToken).ConfigureAwait(false), CourseOutcomeView.Of, context), cancellationToken);

    public static Task<IResult> WithdrawAsync(HttpContext context, Guid id, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        WithBodyAsync<VersionRequest>(context, async (actor, body) =>
            Map(await module.WithdrawCertificationAsync(actor, id, body.Version, cancellationToken).ConfigureAwait(false), CourseOutcomeView.Of, context), cancellationToken);

    // ---------------------------------------------------------------- 導師 and staff

    public static async Task<IResult> ClassStatusAsync(HttpContext context, string className, string? year, [FromServices] PortfolioModule module, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        var parsed = Year(year, "year");
        if (!parsed.Success)
        {
            return Problem(parsed.Diagnostics, context);
        }

        var result = await module.GetClassStatusAsync(actor, parsed.Value, className, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(new ClassStatusView(parsed.Value.RocYear, className, [.. result.Value!.Select(StudentStatusView.Of)]))
            : Problem(result.Diagnostics, context);
    }

    public static async Task<IResult> StatisticsAsync(HttpContext context, string? year, [FromServices] PortfolioModule module, CancellationToken cancellationToken)
    {
        var actor = PortfolioActorAccessor.Required(context);
        var parsed = Year(year, "year");
        if (!parsed.Success)
        {
            return Problem(parsed.Diagnostics, context);
        }

        return Map(await module.GetSchoolStatisticsAsync(actor, parsed.Value, cancellationToken).ConfigureAwait(false), SchoolStatisticsView.Of, context);
    }

    // ---------------------------------------------------------------- files

    public static async Task<IResult> DownloadCourseOutcomeFileAsync(HttpContext context, Guid id, string sha256, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        File(await module.OpenCourseOutcomeFileAsync(PortfolioActorAccessor.Required(context), id, sha256, cancellationToken).ConfigureAwait(false), context);

    public static async Task<IResult> DownloadPerformanceFileAsync(HttpContext context, Guid id, string sha256, [FromServices] PortfolioModule module, CancellationToken cancellationToken) =>
        File(await module.OpenPerformanceFileAsync(PortfolioActorAccessor.Required(context), id, sha256, cancellationToken).ConfigureAwait(false), context);

    private static IResult File(PortfolioResult<PortfolioFileDownload> result, HttpContext context)
    {
        if (!result.Succeeded)
        {
            return Problem(result.Diagnostics, context);
        }

        var file = result.Value!;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var name = file.Sha256[..16] + (file.Type is { } type ? "." + FileSignature.Extension(type) : string.Empty);
        return TypedResults.Stream(file.Content, file.MediaType, name);
    }

    // ---------------------------------------------------------------- shared

    private static IResult Map<T, TView>(PortfolioResult<T> result, Func<T, TView> view, HttpContext context)
        where T : class =>
        result.Succeeded ? TypedResults.Ok(view(result.Value!)) : Problem(result.Diagnostics, context);

    internal static IResult Problem(IReadOnlyList<Diagnostic> diagnostics, HttpContext context)
    {
        var primary = diagnostics.FirstOrDefault(d => d.IsError) ?? (diagnostics.Count > 0 ? diagnostics[0] : null);
        context.Items[CodeKey] = primary?.Code;
        return PortfolioProblemDetails.Result(diagnostics.Count > 0 ? diagnostics : [DiagnosticCatalog.Create(DiagnosticCodes.HttpServerError, null, context.TraceIdentifier)], context);
    }

    private static async Task<IResult> WithBodyAsync<T>(HttpContext context, Func<PortfolioActor, T, Task<IResult>> handle, CancellationToken cancellationToken)
        where T : class
    {
        var actor = PortfolioActorAccessor.Required(context);
        var body = context.Request.HasJsonContentType() ? await ReadJsonAsync<T>(context, cancellationToken).ConfigureAwait(false) : null;
        if (body is null)
        {
            var problem = Problem([DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestInvalid, null, "須為 JSON 物件", "the body must be a JSON object")], context);
            return context.Request.HasJsonContentType() ? problem : TypedResults.Json(PortfolioProblemDetails.Create([DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestInvalid, null, "Content-Type 須為 application/json", "the Content-Type must be application/json")], context), (JsonSerializerOptions?)null, PortfolioProblemDetails.MediaType, StatusCodes.Status415UnsupportedMediaType);
        }

        return await handle(actor, body).ConfigureAwait(false);
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext context, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await context.Request.ReadFromJsonAsync<T>(JsonOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ParseOutcome<SchoolYear> Year(string? text, string field) => SchoolYear.Validate(text, DiagnosticLocation.ForPath(field));

    private static Diagnostic Invalid(string field, string zh, string en) => DiagnosticCatalog.Create(DiagnosticCodes.HttpFieldInvalid, DiagnosticLocation.ForPath(field), field, zh, en);

    private static string? Required(MultipartUpload upload, string field, List<Diagnostic> diagnostics)
    {
        var value = upload.Field(field);
        if (value is null)
        {
            diagnostics.Add(Invalid(field, "必填", "is required"));
        }

        return value;
    }

    private static bool Flag(MultipartUpload upload, string field) => upload.Field(field) is { } text && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "on" or "1");

    private static long VersionOf(MultipartUpload upload, List<Diagnostic> diagnostics)
    {
        if (upload.Field("version") is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return version;
        }

        diagnostics.Add(Invalid("version", "應為讀到的版本（正整數）", "must be the version read (a positive integer)"));
        return 0;
    }

    // The student's class is the actor's (one of them, when the form names it); a student cannot place work in another class.
    private static string? ClassOf(PortfolioActor actor, MultipartUpload upload, List<Diagnostic> diagnostics)
    {
        if (upload.Field("className") is not { } named)
        {
            return actor.Classes.Order(StringComparer.Ordinal).FirstOrDefault();
        }

        if (actor.Classes.Count > 0 && !actor.Classes.Contains(named))
        {
            diagnostics.Add(Invalid("className", "不是你的班級", "is not your class"));
        }

        return named;
    }
}
