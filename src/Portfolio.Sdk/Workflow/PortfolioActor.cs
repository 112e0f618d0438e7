using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Workflow;

/// <summary>Whose data an operation touches: the facts the permission scopes are checked against.</summary>
/// <param name="StudentKey">The student the item belongs to.</param>
/// <param name="ClassName">The student's class.</param>
/// <param name="CourseCode">The course of a course outcome.</param>
/// <param name="CertifyingTeacher">The teacher assigned to certify it.</param>
/// <param name="ProxyTeacher">The proxy teacher, when one is assigned.</param>
/// <param name="Guardian">The guardian (家長) of a binding request: a guardian may ask only for their own account.</param>
public sealed record PortfolioTarget(string? StudentKey = null, string? ClassName = null, string? CourseCode = null, string? CertifyingTeacher = null, string? ProxyTeacher = null, string? Guardian = null)
{
    /// <summary>Returns the target with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"PortfolioTarget {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, ClassName = {ClassName}, CourseCode = {CourseCode}, CertifyingTeacher = {CertifyingTeacher}, ProxyTeacher = {ProxyTeacher}, Guardian = {Redaction.MaskIdentifier(Guardian)} }}";
}

/// <summary>Someone acting in the portfolio module (操作者): a user with roles and the scopes those roles reach.</summary>
/// <param name="UserId">The user's identifier in the vendor's system.</param>
/// <param name="Roles">The user's roles.</param>
public sealed record PortfolioActor(string UserId, IReadOnlySet<PortfolioRole> Roles)
{
    /// <summary>Gets the classes whose students a 導師 may see.</summary>
    public IReadOnlySet<string> Classes { get; init; } = new HashSet<string>();

    /// <summary>Gets the course codes a 授課教師 teaches.</summary>
    public IReadOnlySet<string> Courses { get; init; } = new HashSet<string>();

    /// <summary>Gets the student key of a 學生 acting on their own portfolio.</summary>
    public string? StudentKey { get; init; }

    /// <summary>
    /// Gets the students a 家長 is bound to, the bindings approved by their 導師. <c>PortfolioModule</c> fills it from
    /// its store for every call, whatever the caller set: a guardian sees only what the school approved.
    /// </summary>
    public IReadOnlySet<string> Children { get; init; } = new HashSet<string>();

    /// <summary>Creates a student acting on their own portfolio.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="studentKey">The student's key.</param>
    /// <returns>The actor.</returns>
    public static PortfolioActor StudentOf(string userId, string studentKey) =>
        new(userId, new HashSet<PortfolioRole> { PortfolioRole.Student }) { StudentKey = studentKey };

    /// <summary>Gets whether the actor may perform <paramref name="operation"/> on <paramref name="target"/>.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="target">Whose data it touches.</param>
    /// <returns><see langword="true"/> when one of the actor's roles allows it in scope.</returns>
    public bool Can(PortfolioOperation operation, PortfolioTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var role in Roles)
        {
            var allowed = PermissionMatrix.ScopeOf(role, operation) switch
            {
                PermissionScope.School => true,
                PermissionScope.OwnClasses => target.ClassName is { } c && Classes.Contains(c),
                PermissionScope.OwnCourses => (target.CourseCode is { } code && Courses.Contains(code)) || target.CertifyingTeacher == UserId || target.ProxyTeacher == UserId,
                PermissionScope.Self => (target.StudentKey is { } key && key == StudentKey) || (target.Guardian is { } guardian && guardian == UserId),
                PermissionScope.OwnChildren => target.StudentKey is { } child && Children.Contains(child),
                _ => false,
            };
            if (allowed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns <see langword="null"/> when allowed, else a <c>PF3101</c> diagnostic that names the actor's roles and
    /// the operation in words (「權限不足：授課教師不能勾選項目」 / "A course teacher cannot select items (permission denied)").
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="target">Whose data it touches.</param>
    /// <returns>The diagnostic, or <see langword="null"/>.</returns>
    public Diagnostic? Check(PortfolioOperation operation, PortfolioTarget target)
    {
        if (Can(operation, target))
        {
            return null;
        }

        var roles = PortfolioDisplayNames.OfRoles(Roles);
        var what = PortfolioDisplayNames.Of(operation);
        return DiagnosticCatalog.Create(DiagnosticCodes.PermissionDenied, null, roles.Chinese, what.Chinese, roles.English, what.English);
    }

    /// <summary>Returns the actor with the user id masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"PortfolioActor {{ UserId = {Redaction.MaskIdentifier(UserId)}, Roles = {string.Join(",", Roles)} }}";
}
