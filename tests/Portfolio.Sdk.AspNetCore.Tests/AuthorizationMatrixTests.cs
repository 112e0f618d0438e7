using System.Net;
using Microsoft.AspNetCore.Routing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>
/// Every role against every endpoint, over HTTP. The roles come from <see cref="PortfolioRole"/> and the endpoints from
/// the running server's <see cref="EndpointDataSource"/>, so a role or an endpoint added later is walked too; the
/// expectation is this test's own reading of the permission matrix (an endpoint missing from it fails the test).
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static readonly PermissionScope[] ViewScopes = [PermissionScope.Self, PermissionScope.OwnClasses, PermissionScope.School];

    // What each endpoint needs, as the issue states it: the operation of the matrix and the scopes that open it.
    private static readonly Dictionary<string, (PortfolioOperation Operation, PermissionScope[] Scopes)[]> Expected = new(StringComparer.Ordinal)
    {
        ["PortfolioListMyItems"] = [(PortfolioOperation.ViewCourseOutcomes, [PermissionScope.Self])],
        ["PortfolioUploadCourseOutcome"] = [(PortfolioOperation.EditOwnPortfolio, [PermissionScope.Self])],
        ["PortfolioEditCourseOutcome"] = [(PortfolioOperation.EditOwnPortfolio, [PermissionScope.Self])],
        ["PortfolioSendCourseOutcome"] = [(PortfolioOperation.SubmitForCertification, [PermissionScope.Self])],
        ["PortfolioSelectCourseOutcome"] = [(PortfolioOperation.SelectItems, [PermissionScope.Self])],
        ["PortfolioUnselectCourseOutcome"] = [(PortfolioOperation.SelectItems, [PermissionScope.Self])],
        ["PortfolioUploadPerformance"] = [(PortfolioOperation.EditOwnPortfolio, [PermissionScope.Self])],
        ["PortfolioEditPerformance"] = [(PortfolioOperation.EditOwnPortfolio, [PermissionScope.Self])],
        ["PortfolioSelectPerformance"] = [(PortfolioOperation.SelectItems, [PermissionScope.Self])],
        ["PortfolioUnselectPerformance"] = [(PortfolioOperation.SelectItems, [PermissionScope.Self])],
        ["PortfolioConfirmReceipt"] = [(PortfolioOperation.SelectItems, [PermissionScope.Self])],
        ["PortfolioDisputeReceipt"] = [(PortfolioOperation.SelectItems, [PermissionScope.Self])],
        ["PortfolioListMyReceipts"] = [(PortfolioOperation.ViewReceipts, [PermissionScope.Self])],
        ["PortfolioConfirmReceiptRow"] = [(PortfolioOperation.AnswerReceipt, [PermissionScope.Self])],
        ["PortfolioDisputeReceiptRow"] = [(PortfolioOperation.AnswerReceipt, [PermissionScope.Self])],
        ["PortfolioListReceiptDisputes"] = [(PortfolioOperation.DecideReceiptDispute, [PermissionScope.School])],
        ["PortfolioDecideReceiptDispute"] = [(PortfolioOperation.DecideReceiptDispute, [PermissionScope.School])],
        ["PortfolioListPendingCertifications"] = [(PortfolioOperation.CertifyCourseOutcome, [PermissionScope.OwnCourses])],
        ["PortfolioCertifyCourseOutcome"] = [(PortfolioOperation.CertifyCourseOutcome, [PermissionScope.OwnCourses])],
        ["PortfolioRejectCourseOutcome"] = [(PortfolioOperation.CertifyCourseOutcome, [PermissionScope.OwnCourses])],
        ["PortfolioWithdrawCertification"] = [(PortfolioOperation.CertifyCourseOutcome, [PermissionScope.OwnCourses])],
        ["PortfolioGetClassStatus"] = [(PortfolioOperation.ViewCourseOutcomes, [PermissionScope.OwnClasses, PermissionScope.School])],
        ["PortfolioGetSchoolStatistics"] = [(PortfolioOperation.ViewCourseOutcomes, [PermissionScope.School])],
        ["PortfolioDownloadCourseOutcomeFile"] = [(PortfolioOperation.ViewCourseOutcomes, ViewScopes), (PortfolioOperation.ReviewCourseOutcomes, [PermissionScope.OwnCourses])],
        ["PortfolioDownloadPerformanceFile"] = [(PortfolioOperation.ViewPerformances, ViewScopes)],
    };

    [Fact]
    public async Task EveryRole_AgainstEveryEndpoint_MatchesThePermissionMatrix()
    {
        await using var server = await PortalServer.StartAsync("sqlite", o => o.UploadsPerWindow = 10_000);
        var endpoints = server.Endpoints.Endpoints.OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText?.StartsWith("/portfolio", StringComparison.Ordinal) == true).ToList();
        endpoints.Count.ShouldBe(Expected.Count, "an endpoint was added or removed: add it to Expected with its operation and scopes");
        var roles = Enum.GetValues<PortfolioRole>();
        var checkedPairs = 0;
        using var anonymous = server.Anonymous();
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName!;
            Expected.ShouldContainKey(name, $"{endpoint.RoutePattern.RawText} has no expectation");
            var method = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.ShouldHaveSingleItem();
            var path = PathOf(endpoint);

            // No actor: 401 with PF5001, for every endpoint.
            var none = await SendAsync(anonymous, endpoint, method, path);
            none.Status.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}: {none}");
            none.Code.ShouldBe("PF5001");

            foreach (var role in roles)
            {
                var allowed = Expected[name].Any(e => e.Scopes.Contains(PermissionMatrix.ScopeOf(role, e.Operation)));
                using var client = server.As(ActorOf(role));
                var reply = await SendAsync(client, endpoint, method, path);
                if (allowed)
                {
                    reply.Status.ShouldNotBe(HttpStatusCode.Unauthorized, $"{role} on {method} {path}: {reply}");
                    reply.Status.ShouldNotBe(HttpStatusCode.Forbidden, $"{role} on {method} {path}: {reply}");
                    ((int)reply.Status).ShouldBeLessThan(500, $"{role} on {method} {path}: {reply}");
                }
                else
                {
                    reply.Status.ShouldBe(HttpStatusCode.Forbidden, $"{role} on {method} {path}: {reply}");
                    reply.Code.ShouldBe("PF3101");
                }

                checkedPairs++;
            }
        }

        checkedPairs.ShouldBe(Expected.Count * roles.Length);
    }

    [Fact]
    public async Task EveryEndpoint_CarriesItsPermission_AsAnAuthorizationPolicy()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        foreach (var endpoint in server.Endpoints.Endpoints.OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText?.StartsWith("/portfolio", StringComparison.Ordinal) == true))
        {
            var access = endpoint.Metadata.GetMetadata<PortfolioEndpointAccess>().ShouldNotBeNull(endpoint.DisplayName);
            var policy = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>().ShouldHaveSingleItem();
            policy.Requirements.OfType<PortfolioPermissionRequirement>().ShouldHaveSingleItem().Access.ShouldBeSameAs(access);
        }
    }

    // Each role alone, with classes, courses and a student key so that any scope could reach.
    private static PortfolioActor ActorOf(PortfolioRole role) => new($"user-{role}", new HashSet<PortfolioRole> { role })
    {
        Classes = new HashSet<string> { "101" },
        Courses = new HashSet<string> { PortalServer.MathCourse.Value },
        StudentKey = role == PortfolioRole.Student ? PortalServer.StudentKey : null,
    };

    private static string PathOf(RouteEndpoint endpoint)
    {
        var path = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name switch
            {
                "id" => Guid.NewGuid().ToString(),
                "sha256" => new string('a', 64),
                "className" => "101",
                "row" => "0",
                _ => "k-1",
            };
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + parameter.Name + "[^}]*\\}", value);
        }

        return path + "?year=113";
    }

    // A body of the type the endpoint accepts (routing answers 415 to any other before authorization runs).
    internal static Task<Reply> SendAsync(UserClient client, RouteEndpoint endpoint, string method, string path) =>
        method == "GET" ? client.GetAsync(path)
        : endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true
            ? client.FormAsync(new HttpMethod(method), path, new Dictionary<string, string> { ["version"] = "1" }, [], withToken: false)
            : client.SendAsync(new HttpMethod(method), path, new { version = 1, year = 113, entryYear = 113, reason = "理由", note = "有誤", verdict = "Upheld" });
}
