using Portfolio.Sdk.Sis.Profiles;

namespace Portfolio.Sdk.Sis;

/// <summary>
/// Options of the SIS adapter (校務系統介接) as a host registers it, bound from <see cref="SectionName"/>. The SIS's SQL
/// dialect is stated in its mapping profile (the SIS is the vendor's database, not the module's).
/// </summary>
public sealed class PortfolioSisOptions
{
    /// <summary>The configuration section the options bind from: <c>Portfolio:Sis</c>.</summary>
    public const string SectionName = "Portfolio:Sis";

    /// <summary>Gets or sets the mapping profile's JSON file, loaded and validated at start-up.</summary>
    /// <value>The default value is <see langword="null"/> (use <see cref="Profile"/>).</value>
    public string? ProfileFile { get; set; }

    /// <summary>Gets or sets the mapping profile; replaced by <see cref="ProfileFile"/> when that is set. Set in code (not bound).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SisProfile? Profile { get; set; }

    /// <summary>
    /// Gets or sets the service key of the SIS's <see cref="System.Data.Common.DbDataSource"/> (registered by the host with
    /// <c>AddKeyedSingleton&lt;DbDataSource&gt;(key, …)</c>). A host with more than one data source must set it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the one unkeyed data source.</value>
    public string? DataSourceKey { get; set; }

    /// <summary>Gets or sets the school code passed to profile queries that use <c>@schoolCode</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? School { get; set; }

    /// <summary>Gets or sets the 部別代碼 written for students whose SIS row has none (see <c>TermRosterBuilder.DefaultDivision</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DefaultDivision { get; set; }
}
