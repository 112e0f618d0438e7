using Portfolio.Sdk.Policy;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// Options of the portfolio module (學習歷程模組) as a host registers it, bound from <see cref="SectionName"/>. The
/// database's dialect is not here: the host states it once in <see cref="Data.PortfolioDatabaseOptions"/>.
/// </summary>
public sealed class PortfolioModuleOptions
{
    /// <summary>The configuration section the options bind from: <c>Portfolio:Module</c>.</summary>
    public const string SectionName = "Portfolio:Module";

    /// <summary>The default folder of the file store.</summary>
    public const string DefaultFilesRoot = "portfolio-files";

    /// <summary>Gets or sets the policy; replaced by <see cref="PolicyFile"/> when that is set. Set in code (not bound).</summary>
    /// <value>The default value is <see cref="PortfolioPolicy.Default"/>.</value>
    public PortfolioPolicy Policy { get; set; } = PortfolioPolicy.Default;

    /// <summary>Gets or sets a policy JSON file to load at start-up.</summary>
    /// <value>The default value is <see langword="null"/> (use <see cref="Policy"/>).</value>
    public string? PolicyFile { get; set; }

    /// <summary>Gets or sets the folder of the content-addressed file store.</summary>
    /// <value>The default value is <c>portfolio-files</c>.</value>
    public string FilesRoot { get; set; } = DefaultFilesRoot;
}
