using Microsoft.AspNetCore.Mvc;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace SchoolPortal.Pages.Files;

/// <summary>
/// A course outcome's file, for those who may see the outcome: the student, the certifying teacher (or proxy), a 導師 of
/// the class, school-wide staff. Anyone else gets the 403 page. The file is read back verified against its SHA-256.
/// </summary>
/// <param name="module">The module.</param>
/// <param name="files">The content store.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class OutcomeModel(PortfolioModule module, FileSystemContentStore files, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Sends the file.</summary>
    /// <param name="id">The outcome.</param>
    /// <param name="index">The file's position among the outcome's files.</param>
    /// <returns>The file, 404 or 403.</returns>
    public async Task<IActionResult> OnGetAsync(Guid id, int index)
    {
        var actor = await ActorAsync();
        var outcome = await module.Store.GetAsync(id, HttpContext.RequestAborted);
        if (outcome is null || index < 0 || index >= outcome.FileHashes.Count)
        {
            return NotFound();
        }

        if (!actor.Can(PortfolioOperation.ViewCourseOutcomes, outcome.Target) && !actor.Can(PortfolioOperation.ReviewCourseOutcomes, outcome.Target))
        {
            return Forbid();
        }

        var content = await files.OpenVerifiedAsync(outcome.FileHashes[index], HttpContext.RequestAborted);
        var head = new byte[8];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, HttpContext.RequestAborted);
        content.Position = 0;
        var (type, extension) = head.AsSpan(0, read) switch
        {
            [0x25, 0x50, 0x44, 0x46, ..] => ("application/pdf", ".pdf"),
            [0x89, 0x50, 0x4E, 0x47, ..] => ("image/png", ".png"),
            [0xFF, 0xD8, 0xFF, ..] => ("image/jpeg", ".jpg"),
            _ => ("application/octet-stream", string.Empty),
        };
        Response.Headers.XContentTypeOptions = "nosniff";
        return File(content, type, $"course-outcome-{index + 1}{extension}");
    }
}
