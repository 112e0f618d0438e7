using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>
/// Refusals and failures as RFC 9457 problem details (問題描述): the PF code, both messages (zh-TW and English), the
/// location and every diagnostic; never a stack trace, never an unmasked 身分證號 (the diagnostics are masked where
/// they are made). The HTTP status follows the PF code, the same for every endpoint (<see cref="StatusCodeOf(string)"/>).
/// </summary>
public static class PortfolioProblemDetails
{
    /// <summary>The media type of a problem: <c>application/problem+json</c>.</summary>
    public const string MediaType = "application/problem+json";

    /// <summary>The prefix of a problem's <c>type</c>; the PF code follows (<c>urn:portfolio-sdk:diagnostic:PF3104</c>).</summary>
    public const string TypePrefix = "urn:portfolio-sdk:diagnostic:";

    /// <summary>
    /// Gets the HTTP status of a PF code: 401 no actor; 403 not allowed (PF3101, PF3105); 404 not found (PF3116, PF4302,
    /// PF4304, PF4404, PF5010, PF5011); 409 version conflict (PF3104, PF4414); 413 too large (PF3301, PF3306, PF5002, PF5003); 415 type not
    /// accepted (PF3309, PF5004); 429 rate limited (PF5005); 500 server failure (PF3401, PF3402, PF5008); 503 database
    /// unavailable (PF5009); 400 every other refusal by the rules (window closed, caps, state, missing reason, bad field).
    /// </summary>
    /// <param name="code">The PF code.</param>
    /// <returns>The status code.</returns>
    public static int StatusCodeOf(string code) => code switch
    {
        DiagnosticCodes.HttpActorUnknown => StatusCodes.Status401Unauthorized,
        DiagnosticCodes.PermissionDenied or DiagnosticCodes.NotCertifyingTeacher => StatusCodes.Status403Forbidden,
        DiagnosticCodes.ItemNotFound or DiagnosticCodes.ConfirmationNotOpen or DiagnosticCodes.ConfirmationNotInReceipt or DiagnosticCodes.ReceiptRowUnknown
            or DiagnosticCodes.HttpReceiptsNotConfigured or DiagnosticCodes.HttpFileNotInItem => StatusCodes.Status404NotFound,
        DiagnosticCodes.VersionConflict or DiagnosticCodes.ReceiptAnswerConflict => StatusCodes.Status409Conflict,
        DiagnosticCodes.FileTooLarge or DiagnosticCodes.StorageQuota or DiagnosticCodes.HttpRequestTooLarge or DiagnosticCodes.HttpFileTooLarge => StatusCodes.Status413PayloadTooLarge,
        DiagnosticCodes.FileTypeNotAllowed or DiagnosticCodes.HttpFileTypeUnknown => StatusCodes.Status415UnsupportedMediaType,
        DiagnosticCodes.HttpRateLimited => StatusCodes.Status429TooManyRequests,
        DiagnosticCodes.StoredFileCorrupted or DiagnosticCodes.StoredFileMissing or DiagnosticCodes.HttpServerError => StatusCodes.Status500InternalServerError,
        DiagnosticCodes.HttpDatabaseUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Gets the status of a refusal: the first error whose code has its own status (not 400), else 400.</summary>
    /// <param name="diagnostics">The refusal's diagnostics.</param>
    /// <returns>The status code.</returns>
    public static int StatusCodeOf(IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var diagnostic in diagnostics.Where(d => d.IsError))
        {
            if (StatusCodeOf(diagnostic.Code) is var status && status != StatusCodes.Status400BadRequest)
            {
                return status;
            }
        }

        return StatusCodes.Status400BadRequest;
    }

    /// <summary>Creates the problem details of a refusal.</summary>
    /// <param name="diagnostics">The refusal's diagnostics (the first error is the problem).</param>
    /// <param name="context">The request, for the instance path and the trace id; optional.</param>
    /// <returns>The problem details, with the extensions <c>code</c>, <c>message</c> (zh-TW), <c>messageEnglish</c>, <c>location</c>, <c>diagnostics</c> and <c>traceId</c>.</returns>
    public static ProblemDetails Create(IReadOnlyList<Diagnostic> diagnostics, HttpContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentOutOfRangeException.ThrowIfZero(diagnostics.Count);
        var primary = diagnostics.FirstOrDefault(d => d.IsError) ?? diagnostics[0];
        var status = StatusCodeOf(diagnostics);
        var title = DiagnosticCatalog.Default.TryGetDescriptor(primary.Code, out var descriptor) ? descriptor.Title : primary.Code;
        var problem = new ProblemDetails
        {
            Type = TypePrefix + primary.Code,
            Title = title,
            Status = status,
            Detail = primary.MessageEnglish,
            Instance = context?.Request.Path.Value,
        };
        problem.Extensions["code"] = primary.Code;
        problem.Extensions["message"] = primary.Message;
        problem.Extensions["messageEnglish"] = primary.MessageEnglish;
        problem.Extensions["location"] = primary.Location is { } location ? LocationView.Of(location) : null;
        problem.Extensions["diagnostics"] = diagnostics.Select(DiagnosticView.Of).ToList();
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context?.TraceIdentifier;
        return problem;
    }

    internal static IResult Result(IReadOnlyList<Diagnostic> diagnostics, HttpContext context)
    {
        var problem = Create(diagnostics, context);
        return TypedResults.Json(problem, (System.Text.Json.JsonSerializerOptions?)null, MediaType, problem.Status);
    }

    internal static IResult Result(Diagnostic diagnostic, HttpContext context) => Result([diagnostic], context);

    internal static Diagnostic Denied(PortfolioActor actor, PortfolioOperation operation)
    {
        // Named as PortfolioActor.Check names them: the roles in enum order, 「沒有角色的使用者」 for none.
        var names = actor.Roles.Distinct().Order().Select(PortfolioDisplayNames.Of).ToList();
        var chinese = names.Count == 0 ? "沒有角色的使用者" : string.Join("、", names.Select(n => n.Chinese));
        var english = names.Count == 0 ? "user without a role" : string.Join(" or ", names.Select(n => n.English));
        english = ("aeiou".Contains(english[0], StringComparison.Ordinal) ? "An " : "A ") + english;
        var what = PortfolioDisplayNames.Of(operation);
        return DiagnosticCatalog.Create(DiagnosticCodes.PermissionDenied, null, chinese, what.Chinese, english, what.English);
    }

    // An exception never reaches the caller as it is: its type, message and stack go to the log (masked), the caller
    // gets a PF code and the trace id. A database failure may pass with time (503); anything else is the server's (500).
    internal static Diagnostic ForException(Exception exception, HttpContext context)
    {
        var trace = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        return exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestTooLarge, null, "?", Size(context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize)),
            BadHttpRequestException => DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestInvalid, null, "無法讀取請求內容", "the request body cannot be read"),
            PortfolioException { Diagnostic: { } diagnostic } when diagnostic.Code is DiagnosticCodes.StoredFileCorrupted or DiagnosticCodes.StoredFileMissing => diagnostic,
            DbException or TimeoutException or PortfolioException { IsTransient: true } => DiagnosticCatalog.Create(DiagnosticCodes.HttpDatabaseUnavailable, null, trace),
            _ => DiagnosticCatalog.Create(DiagnosticCodes.HttpServerError, null, trace),
        };
    }

    internal static string Size(long? bytes) => bytes switch
    {
        null => "?",
        >= 1024 * 1024 => $"{bytes.Value / (1024.0 * 1024.0):0.#} MB".Replace(",", ".", StringComparison.Ordinal),
        >= 1024 => $"{bytes.Value / 1024.0:0.#} KB".Replace(",", ".", StringComparison.Ordinal),
        _ => $"{bytes} B",
    };
}

/// <summary>A diagnostic as a problem detail carries it.</summary>
/// <param name="Code">The PF code.</param>
/// <param name="Severity">error, warning or info.</param>
/// <param name="Message">The message in Traditional Chinese.</param>
/// <param name="MessageEnglish">The message in English.</param>
/// <param name="Location">Where, when known.</param>
public sealed record DiagnosticView(string Code, string Severity, string Message, string MessageEnglish, LocationView? Location)
{
    /// <summary>Creates the view of a diagnostic.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <returns>The view.</returns>
    public static DiagnosticView Of(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new(diagnostic.Code, diagnostic.Severity.ToString().ToLowerInvariant(), diagnostic.Message, diagnostic.MessageEnglish, diagnostic.Location is { } l ? LocationView.Of(l) : null);
    }
}

/// <summary>A diagnostic's location as a problem detail carries it; every part optional.</summary>
/// <param name="Source">The file, argument or input.</param>
/// <param name="Book">The roster book.</param>
/// <param name="Sheet">The sheet.</param>
/// <param name="Row">The 1-based row.</param>
/// <param name="Column">The column.</param>
/// <param name="Path">The field path, e.g. <c>files</c> or <c>summary</c>.</param>
public sealed record LocationView(string? Source, string? Book, string? Sheet, int? Row, string? Column, string? Path)
{
    /// <summary>Creates the view of a location.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The view.</returns>
    public static LocationView Of(DiagnosticLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new(location.Source, location.Book, location.Sheet, location.Row, location.Column, location.Path);
    }
}
