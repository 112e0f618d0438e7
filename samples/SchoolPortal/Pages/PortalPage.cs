using Microsoft.AspNetCore.Mvc.RazorPages;
using Portfolio.Sdk;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal.Pages;

/// <summary>A portal page: the signed-in actor (through <see cref="DemoActorResolver"/>) and the refusal or success to show.</summary>
/// <param name="resolver">Maps the user to the module's actor.</param>
/// <param name="portal">The school.</param>
internal abstract class PortalPage(DemoActorResolver resolver, PortalSchool portal) : PageModel
{
    /// <summary>Gets the school.</summary>
    public DemoSchool School => portal.School;

    /// <summary>Gets the refusal to show (PF code, zh-TW and English), if any.</summary>
    public Diagnostic? Problem { get; protected set; }

    /// <summary>Gets the success message to show, if any.</summary>
    public string? Done { get; protected set; }

    /// <summary>The actor of the signed-in user; the area's authorization policy has already required the role.</summary>
    /// <returns>The actor.</returns>
    protected async Task<PortfolioActor> ActorAsync() =>
        await resolver.ResolveAsync(User, HttpContext.RequestAborted) ?? throw new InvalidOperationException("The area's policy admits only users with a portfolio role.");

    /// <summary>Shows a module result: the success message, or the refusal (and a 409/422-like status for scripts).</summary>
    /// <typeparam name="T">The value.</typeparam>
    /// <param name="result">The result.</param>
    /// <param name="success">The message on success.</param>
    /// <returns>Whether it succeeded.</returns>
    protected bool Show<T>(PortfolioResult<T> result, string success)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
        {
            Done = success;
            return true;
        }

        Problem = result.Problem;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return false;
    }
}
