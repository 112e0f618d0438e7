using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal.Pages.Teacher;

/// <summary>The teacher's 待認證 queue: the course outcomes sent to them, certified (認證通過) or rejected with a reason (認證不通過).</summary>
/// <param name="module">The module.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class QueueModel(PortfolioModule module, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Gets the outcomes waiting for the teacher.</summary>
    public IReadOnlyList<CourseOutcome> Pending { get; private set; } = [];

    /// <summary>Shows the queue.</summary>
    /// <returns>A task.</returns>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Certifies an outcome.</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="version">The version read.</param>
    /// <returns>A task.</returns>
    public async Task OnPostCertifyAsync(Guid id, long version)
    {
        Show(await module.CertifyAsync(await ActorAsync(), id, version, HttpContext.RequestAborted), "已認證通過");
        await LoadAsync();
    }

    /// <summary>Rejects an outcome with a reason the student will see.</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="version">The version read.</param>
    /// <param name="reason">The reason (認證說明).</param>
    /// <returns>A task.</returns>
    public async Task OnPostRejectAsync(Guid id, long version, string? reason)
    {
        Show(await module.RejectAsync(await ActorAsync(), id, version, reason, HttpContext.RequestAborted), "已退回（認證不通過），學生會看到你的說明");
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var pending = new List<CourseOutcome>();
        await foreach (var outcome in module.ListPendingCertificationsAsync(await ActorAsync(), HttpContext.RequestAborted))
        {
            pending.Add(outcome);
        }

        Pending = pending;
    }
}
