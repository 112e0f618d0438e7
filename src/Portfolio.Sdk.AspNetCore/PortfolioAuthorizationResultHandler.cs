using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>
/// Answers a refused portfolio endpoint with a problem detail: 401 (PF5001) without an actor, 403 (PF3101) for roles
/// lacking the operation, 500 (PF5008) when the resolver failed. Other endpoints go to the host's handler unchanged.
/// </summary>
internal sealed partial class PortfolioAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner, ILogger<PortfolioAuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<PortfolioEndpointAccess>() is not { } permission)
        {
            await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        Diagnostic diagnostic;
        if (PortfolioActorAccessor.Failure(context) is { } failure)
        {
            diagnostic = PortfolioProblemDetails.ForException(failure, context);
            LogResolverFailed(logger, diagnostic.Code, failure.GetType().FullName, Privacy.Redaction.MaskIdentifiersIn(failure.ToString()));
        }
        else
        {
            diagnostic = PortfolioActorAccessor.Get(context) is { } actor
                ? PortfolioProblemDetails.Denied(actor, permission.PrimaryOperation)
                : DiagnosticCatalog.Create(DiagnosticCodes.HttpActorUnknown, null);
        }

        var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown";
        var problem = PortfolioProblemDetails.Create([diagnostic], context);
        PortfolioEndpointsTelemetry.Record(name, diagnostic.Code == DiagnosticCodes.HttpServerError ? "failed" : "refused", problem.Status ?? 0, diagnostic.Code);
        await TypedResults.Json(problem, (System.Text.Json.JsonSerializerOptions?)null, PortfolioProblemDetails.MediaType, problem.Status).ExecuteAsync(context).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "The portfolio actor resolver failed ({Code}): {ExceptionType}: {Detail}")]
    private static partial void LogResolverFailed(ILogger logger, string code, string? exceptionType, string? detail);
}
