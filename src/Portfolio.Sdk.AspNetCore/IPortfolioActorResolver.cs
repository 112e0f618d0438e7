using System.Security.Claims;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>
/// The host's one seam from its signed-in user to the portfolio module's actor (操作者): roles, user id, the classes
/// of a 導師, the courses of a 授課教師 and the student key of a 學生. Identity stays the host's (cookies, OpenID Connect,
/// the SIS's own sign-in); the endpoints only ask this resolver who the user is in the module.
/// </summary>
public interface IPortfolioActorResolver
{
    /// <summary>Resolves the actor of a signed-in user.</summary>
    /// <param name="user">The request's user (possibly anonymous).</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The actor, or <see langword="null"/> when the user is not signed in or not known to the module (the endpoints answer 401).</returns>
    ValueTask<PortfolioActor?> ResolveAsync(ClaimsPrincipal user, CancellationToken cancellationToken);
}
