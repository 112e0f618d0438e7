using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal.Pages.Account;

/// <summary>The demo sign-in (示範登入): pick a demo student, teacher, 導師 or the administrator; a cookie carries the claims.</summary>
/// <param name="portal">The school.</param>
internal sealed class SignInModel(PortalSchool portal) : PageModel
{
    /// <summary>Gets the school.</summary>
    public DemoSchool School => portal.School;

    /// <summary>Gets whether the posted user is unknown.</summary>
    public bool Unknown { get; private set; }

    /// <summary>Signs a demo user in and goes to their first page.</summary>
    /// <param name="userId">The demo user.</param>
    /// <returns>A redirect, or the page with a message.</returns>
    public async Task<IActionResult> OnPostAsync(string? userId)
    {
        IReadOnlyList<Claim>? claims = null;
        var home = "/";
        if (userId is not null && School.Students.Values.FirstOrDefault(s => s.SignInKey == userId) is { } student)
        {
            claims = DemoActorResolver.ClaimsOf(student);
            home = "/Student/Items";
        }
        else if (userId is not null && School.Staff.TryGetValue(userId, out var staff))
        {
            claims = DemoActorResolver.ClaimsOf(staff);
            home = staff.Role switch
            {
                PortfolioRole.CourseTeacher => "/Teacher/Queue",
                PortfolioRole.HomeroomTeacher => "/Homeroom/Class",
                _ => "/Admin/Statistics",
            };
        }

        if (claims is null)
        {
            Unknown = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(home);
    }

    /// <summary>Signs out.</summary>
    /// <returns>A redirect to the sign-in page.</returns>
    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/Account/SignIn");
    }
}
