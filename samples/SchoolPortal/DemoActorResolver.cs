using System.Security.Claims;
using Portfolio.Sdk.AspNetCore;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal;

/// <summary>
/// The portal's one mapping from a signed-in user (<see cref="ClaimsPrincipal"/>) to the module's
/// <see cref="PortfolioActor"/> (操作者): user id, roles, a student's key, a 導師's classes and a teacher's courses, all
/// from the cookie's claims. A host with a real identity provider writes its own; this one reads the demo sign-in's claims.
/// </summary>
internal sealed class DemoActorResolver : IPortfolioActorResolver
{
    /// <summary>The claim of a student's key (學號).</summary>
    public const string StudentClaim = "portfolio:student";

    /// <summary>The claim of a class a 導師 leads (one claim per class).</summary>
    public const string ClassClaim = "portfolio:class";

    /// <summary>The claim of a course a teacher teaches (one claim per course code).</summary>
    public const string CourseClaim = "portfolio:course";

    /// <summary>Resolves the actor of a signed-in user.</summary>
    /// <param name="user">The user.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>The actor, or <see langword="null"/> when the user is anonymous or has no portfolio role.</returns>
    public ValueTask<PortfolioActor?> ResolveAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ct.ThrowIfCancellationRequested();
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
        {
            return ValueTask.FromResult<PortfolioActor?>(null);
        }

        var roles = new HashSet<PortfolioRole>();
        foreach (var claim in user.FindAll(ClaimTypes.Role))
        {
            if (Enum.TryParse<PortfolioRole>(claim.Value, ignoreCase: false, out var role) && Enum.IsDefined(role))
            {
                roles.Add(role);
            }
        }

        var student = user.FindFirstValue(StudentClaim);
        if (roles.Count == 0 || (roles.Contains(PortfolioRole.Student) && string.IsNullOrEmpty(student)))
        {
            return ValueTask.FromResult<PortfolioActor?>(null);
        }

        return ValueTask.FromResult<PortfolioActor?>(new PortfolioActor(userId, roles)
        {
            StudentKey = student,
            Classes = user.FindAll(ClassClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            Courses = user.FindAll(CourseClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        });
    }

    /// <summary>The claims the demo sign-in gives a student.</summary>
    /// <param name="student">The student.</param>
    /// <returns>The claims.</returns>
    public static IReadOnlyList<Claim> ClaimsOf(DemoStudent student)
    {
        ArgumentNullException.ThrowIfNull(student);
        return
        [
            new(ClaimTypes.NameIdentifier, "u-" + student.StudentNumber),
            new(ClaimTypes.Name, student.Label),
            new(ClaimTypes.Role, nameof(PortfolioRole.Student)),
            new(StudentClaim, student.StudentNumber),
        ];
    }

    /// <summary>The claims the demo sign-in gives a staff member.</summary>
    /// <param name="staff">The staff member.</param>
    /// <returns>The claims.</returns>
    public static IReadOnlyList<Claim> ClaimsOf(DemoStaff staff)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return
        [
            new(ClaimTypes.NameIdentifier, staff.UserId),
            new(ClaimTypes.Name, staff.DisplayName),
            new(ClaimTypes.Role, staff.Role.ToString()),
            .. staff.Classes.Select(c => new Claim(ClassClaim, c)),
            .. staff.Courses.Select(c => new Claim(CourseClaim, c)),
        ];
    }
}
