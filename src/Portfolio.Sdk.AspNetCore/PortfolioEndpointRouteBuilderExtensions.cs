using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.AspNetCore;
using Portfolio.Sdk.Workflow;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the portfolio module's HTTP endpoints (學習歷程模組 API) into a host.</summary>
public static class PortfolioEndpointRouteBuilderExtensions
{
    private const string Json = "application/json";
    private const string Multipart = "multipart/form-data";

    /// <summary>
    /// Maps the endpoints under <paramref name="prefix"/>: a student's items, upload, edit, 送審, select and unselect; a
    /// teacher's 待認證 queue, certify, reject, withdraw; a 導師's class status; school statistics; receipt confirmation and
    /// dispute; file download. Each endpoint requires its operation of the permission matrix through an authorization
    /// policy (401 without an actor, 403 for a role without the operation); refusals are problem details with PF codes.
    /// Call <c>AddPortfolioEndpoints</c> and <c>AddPortfolioActorResolver</c> first.
    /// </summary>
    /// <param name="endpoints">The host's routes.</param>
    /// <param name="prefix">The route prefix.</param>
    /// <returns>The route group, for the host's own conventions (CORS, more metadata).</returns>
    public static RouteGroupBuilder MapPortfolioEndpoints(this IEndpointRouteBuilder endpoints, string prefix = PortfolioEndpointDefaults.Prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<PortfolioEndpointsMarker>() is null)
        {
            throw new InvalidOperationException("Call services.AddPortfolioEndpoints() before MapPortfolioEndpoints().");
        }

        var group = endpoints.MapGroup(prefix).WithGroupName(PortfolioEndpointDefaults.OpenApiDocumentName).WithTags("Portfolio");
        group.AddEndpointFilter(GuardAsync);

        const PermissionScope Self = PermissionScope.Self;
        var student = PortfolioEndpointAccess.Of(PortfolioOperation.EditOwnPortfolio, Self);

        // 學生
        Map(group, "GET", "/items", "ListMyItems", PortfolioEndpointHandlers.ListMyItemsAsync, PortfolioEndpointAccess.Of(PortfolioOperation.ViewCourseOutcomes, Self))
            .Produces<StudentItemsView>();
        Map(group, "POST", "/course-outcomes", "UploadCourseOutcome", PortfolioEndpointHandlers.UploadCourseOutcomeAsync, student)
            .Accepts<CourseOutcomeUploadForm>(Multipart).Produces<CourseOutcomeView>(StatusCodes.Status201Created).Uploads();
        Map(group, "PUT", "/course-outcomes/{id:guid}", "EditCourseOutcome", PortfolioEndpointHandlers.EditCourseOutcomeAsync, student)
            .Accepts<EditForm>(Multipart).Produces<CourseOutcomeView>().Uploads().Conflicts();
        Map(group, "POST", "/course-outcomes/{id:guid}/send", "SendCourseOutcome", PortfolioEndpointHandlers.SendAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SubmitForCertification, Self))
            .Accepts<VersionRequest>(Json).Produces<CourseOutcomeView>().Conflicts();
        Map(group, "POST", "/course-outcomes/{id:guid}/select", "SelectCourseOutcome", PortfolioEndpointHandlers.SelectCourseOutcomeAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SelectItems, Self))
            .Accepts<SelectRequest>(Json).Produces<CourseOutcomeView>().Conflicts();
        Map(group, "POST", "/course-outcomes/{id:guid}/unselect", "UnselectCourseOutcome", PortfolioEndpointHandlers.UnselectCourseOutcomeAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SelectItems, Self))
            .Accepts<VersionRequest>(Json).Produces<CourseOutcomeView>().Conflicts();
        Map(group, "POST", "/performances", "UploadPerformance", PortfolioEndpointHandlers.UploadPerformanceAsync, student)
            .Accepts<PerformanceUploadForm>(Multipart).Produces<PerformanceView>(StatusCodes.Status201Created).Uploads();
        Map(group, "PUT", "/performances/{id:guid}", "EditPerformance", PortfolioEndpointHandlers.EditPerformanceAsync, student)
            .Accepts<EditForm>(Multipart).Produces<PerformanceView>().Uploads().Conflicts();
        Map(group, "POST", "/performances/{id:guid}/select", "SelectPerformance", PortfolioEndpointHandlers.SelectPerformanceAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SelectItems, Self))
            .Accepts<SelectRequest>(Json).Produces<PerformanceView>().Conflicts();
        Map(group, "POST", "/performances/{id:guid}/unselect", "UnselectPerformance", PortfolioEndpointHandlers.UnselectPerformanceAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SelectItems, Self))
            .Accepts<VersionRequest>(Json).Produces<PerformanceView>().Conflicts();
        Map(group, "POST", "/receipts/{submissionKey}/confirm", "ConfirmReceipt", PortfolioEndpointHandlers.ConfirmReceiptAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SelectItems, Self))
            .Produces<ConfirmationView>();
        Map(group, "POST", "/receipts/{submissionKey}/dispute", "DisputeReceipt", PortfolioEndpointHandlers.DisputeReceiptAsync, PortfolioEndpointAccess.Of(PortfolioOperation.SelectItems, Self))
            .Accepts<DisputeRequest>(Json).Produces<ConfirmationView>();

        // 收訖明細, row by row: the student's own rows, answered one at a time; staff decide each dispute.
        Map(group, "GET", "/receipts", "ListMyReceipts", PortfolioEndpointHandlers.ListMyReceiptsAsync, PortfolioEndpointAccess.Of(PortfolioOperation.ViewReceipts, Self))
            .Produces<IReadOnlyList<ReceiptView>>();
        Map(group, "POST", "/receipts/{submissionKey}/rows/{row:int:min(0)}/confirm", "ConfirmReceiptRow", PortfolioEndpointHandlers.ConfirmReceiptRowAsync, PortfolioEndpointAccess.Of(PortfolioOperation.AnswerReceipt, Self))
            .Accepts<RowAnswerRequest>(Json).Produces<ReceiptRowView>().Conflicts();
        Map(group, "POST", "/receipts/{submissionKey}/rows/{row:int:min(0)}/dispute", "DisputeReceiptRow", PortfolioEndpointHandlers.DisputeReceiptRowAsync, PortfolioEndpointAccess.Of(PortfolioOperation.AnswerReceipt, Self))
            .Accepts<RowAnswerRequest>(Json).Produces<ReceiptRowView>().Conflicts();
        var decide = PortfolioEndpointAccess.Of(PortfolioOperation.DecideReceiptDispute, PermissionScope.School);
        Map(group, "GET", "/receipts/disputes", "ListReceiptDisputes", PortfolioEndpointHandlers.ListReceiptDisputesAsync, decide)
            .Produces<IReadOnlyList<DisputeView>>();
        Map(group, "POST", "/receipts/{submissionKey}/rows/{row:int:min(0)}/decide", "DecideReceiptDispute", PortfolioEndpointHandlers.DecideReceiptDisputeAsync, decide)
            .Accepts<DisputeDecisionRequest>(Json).Produces<DisputeDecisionView>().Conflicts();

        // 授課教師
        var certify = PortfolioEndpointAccess.Of(PortfolioOperation.CertifyCourseOutcome, PermissionScope.OwnCourses);
        Map(group, "GET", "/certifications/pending", "ListPendingCertifications", PortfolioEndpointHandlers.ListPendingAsync, certify)
            .Produces<IReadOnlyList<CourseOutcomeView>>();
        Map(group, "POST", "/course-outcomes/{id:guid}/certify", "CertifyCourseOutcome", PortfolioEndpointHandlers.CertifyAsync, certify)
            .Accepts<VersionRequest>(Json).Produces<CourseOutcomeView>().Conflicts();
        Map(group, "POST", "/course-outcomes/{id:guid}/reject", "RejectCourseOutcome", PortfolioEndpointHandlers.RejectAsync, certify)
            .Accepts<RejectRequest>(Json).Produces<CourseOutcomeView>().Conflicts();
        Map(group, "POST", "/course-outcomes/{id:guid}/withdraw", "WithdrawCertification", PortfolioEndpointHandlers.WithdrawAsync, certify)
            .Accepts<VersionRequest>(Json).Produces<CourseOutcomeView>().Conflicts();

        // 導師 and staff
        Map(group, "GET", "/classes/{className}/status", "GetClassStatus", PortfolioEndpointHandlers.ClassStatusAsync,
            PortfolioEndpointAccess.Of(PortfolioOperation.ViewCourseOutcomes, PermissionScope.OwnClasses, PermissionScope.School))
            .Produces<ClassStatusView>();
        Map(group, "GET", "/statistics", "GetSchoolStatistics", PortfolioEndpointHandlers.StatisticsAsync, PortfolioEndpointAccess.Of(PortfolioOperation.ViewCourseOutcomes, PermissionScope.School))
            .Produces<SchoolStatisticsView>();

        // Files: whoever may view the item, and the teacher it is sent to.
        var viewScopes = new[] { Self, PermissionScope.OwnClasses, PermissionScope.School };
        Map(group, "GET", "/course-outcomes/{id:guid}/files/{sha256}", "DownloadCourseOutcomeFile", PortfolioEndpointHandlers.DownloadCourseOutcomeFileAsync,
            new PortfolioEndpointAccess(
                new PortfolioPermissionGrant(PortfolioOperation.ViewCourseOutcomes, viewScopes.ToHashSet()),
                new PortfolioPermissionGrant(PortfolioOperation.ReviewCourseOutcomes, new HashSet<PermissionScope> { PermissionScope.OwnCourses })))
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        Map(group, "GET", "/performances/{id:guid}/files/{sha256}", "DownloadPerformanceFile", PortfolioEndpointHandlers.DownloadPerformanceFileAsync,
            new PortfolioEndpointAccess(new PortfolioPermissionGrant(PortfolioOperation.ViewPerformances, viewScopes.ToHashSet())))
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        return group;
    }

    private static RouteHandlerBuilder Map(RouteGroupBuilder group, string method, string pattern, string name, Delegate handler, PortfolioEndpointAccess permission) =>
        group.MapMethods(pattern, [method], handler)
            .WithName("Portfolio" + name)
            .WithMetadata(permission)
            .RequireAuthorization(policy => policy.AddRequirements(new PortfolioPermissionRequirement(permission)))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static RouteHandlerBuilder Uploads(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(PortfolioUploadRateLimiter.FilterAsync)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static RouteHandlerBuilder Conflicts(this RouteHandlerBuilder builder) => builder.ProducesProblem(StatusCodes.Status409Conflict);

    // Every endpoint: an activity and a count per call; an exception becomes a PF problem (500/503) with the trace id,
    // its details (masked) only in the log.
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var name = (http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown").Replace("Portfolio", string.Empty, StringComparison.Ordinal);
        using var activity = PortfolioEndpointsTelemetry.Source.StartActivity("portfolio.endpoint");
        activity?.SetTag(PortfolioEndpointsTelemetry.EndpointTag, name);
        try
        {
            var result = await next(context).ConfigureAwait(false);
            var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
            PortfolioEndpointsTelemetry.Record(name, status < 400 ? "succeeded" : status >= 500 ? "failed" : "refused", status, PortfolioEndpointHandlers.CodeOf(http));
            return result;
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            PortfolioEndpointsTelemetry.Record(name, "cancelled", StatusCodes.Status499ClientClosedRequest, null);
            throw;
        }
#pragma warning disable CA1031 // Every failure becomes a problem detail without a stack trace; the log keeps the (masked) details.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var diagnostic = PortfolioProblemDetails.ForException(exception, http);
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portfolio.Sdk.AspNetCore.PortfolioEndpoints");
            PortfolioEndpointHandlers.LogFailure(logger, name, diagnostic.Code, exception.GetType().FullName, Portfolio.Sdk.Privacy.Redaction.MaskIdentifiersIn(exception.ToString()));
            var status = PortfolioProblemDetails.StatusCodeOf(diagnostic.Code);
            PortfolioEndpointsTelemetry.Record(name, status >= 500 ? "failed" : "refused", status, diagnostic.Code);
            return PortfolioProblemDetails.Result(diagnostic, http);
        }
    }
}
