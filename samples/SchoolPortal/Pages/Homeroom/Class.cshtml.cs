using Portfolio.Sdk.Storage;

namespace SchoolPortal.Pages.Homeroom;

/// <summary>The 導師's class status (班級狀態): per student, course outcomes uploaded, sent, certified, rejected and selected.</summary>
/// <param name="module">The module.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class ClassModel(PortfolioModule module, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Gets the class shown.</summary>
    public string? ClassName { get; private set; }

    /// <summary>Gets the classes the 導師 leads.</summary>
    public IReadOnlyList<string> MyClasses { get; private set; } = [];

    /// <summary>Gets the students' status, when the module allowed it.</summary>
    public IReadOnlyList<StudentStatus> Students { get; private set; } = [];

    /// <summary>Shows a class: the 導師's own by default; another class is refused by the module (PF3101).</summary>
    /// <param name="class">The class, or <see langword="null"/> for the 導師's first.</param>
    /// <returns>A task.</returns>
    public async Task OnGetAsync(string? @class)
    {
        var actor = await ActorAsync();
        MyClasses = [.. actor.Classes.Order(StringComparer.Ordinal)];
        ClassName = @class ?? (MyClasses.Count > 0 ? MyClasses[0] : null);
        if (ClassName is null)
        {
            return;
        }

        var result = await module.GetClassStatusAsync(actor, School.Term.Year, ClassName, HttpContext.RequestAborted);
        if (Show(result, string.Empty))
        {
            Done = null;
            Students = result.Value!;
        }
    }
}
