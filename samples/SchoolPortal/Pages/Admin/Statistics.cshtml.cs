using Portfolio.Sdk.Storage;

namespace SchoolPortal.Pages.Admin;

/// <summary>The school's statistics (全校統計: 上傳率、認證率、勾選率 by grade, class and teacher), and the account of the SIS rows the portal read.</summary>
/// <param name="module">The module.</param>
/// <param name="resolver">The actor mapping.</param>
/// <param name="portal">The school.</param>
internal sealed class StatisticsModel(PortfolioModule module, DemoActorResolver resolver, PortalSchool portal) : PortalPage(resolver, portal)
{
    /// <summary>Gets the statistics, when the module allowed them.</summary>
    public SchoolStatistics? Statistics { get; private set; }

    /// <summary>Shows the statistics.</summary>
    /// <returns>A task.</returns>
    public async Task OnGetAsync()
    {
        var result = await module.GetSchoolStatisticsAsync(await ActorAsync(), School.Term.Year, HttpContext.RequestAborted);
        if (Show(result, string.Empty))
        {
            Done = null;
            Statistics = result.Value;
        }
    }

    /// <summary>The name of a statistics group's key: a grade, a class or a teacher.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The name.</returns>
    public string NameOf(PortfolioStatistics row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Group switch
        {
            StatisticsGroup.Grade => $"高{row.Key}",
            StatisticsGroup.Class => $"{row.Key} 班",
            _ => School.Staff.TryGetValue(row.Key, out var t) ? t.DisplayName : row.Key,
        };
    }
}
