namespace Portfolio.Sdk.AspNetCore;

/// <summary>The defaults of <see cref="PortfolioEndpointOptions"/>, in one place.</summary>
public static class PortfolioEndpointDefaults
{
    /// <summary>The route prefix of <c>MapPortfolioEndpoints</c>: <c>/portfolio</c>.</summary>
    public const string Prefix = "/portfolio";

    /// <summary>The OpenAPI document the endpoints belong to: <c>portfolio</c> (served by <c>MapOpenApi()</c> at <c>/openapi/portfolio.json</c>).</summary>
    public const string OpenApiDocumentName = "portfolio";

    /// <summary>The most files one upload may carry: 5.</summary>
    public const int MaxFilesPerUpload = 5;

    /// <summary>The most bytes the text fields of one upload form may take together: 64 KiB.</summary>
    public const int MaxFormFieldBytes = 64 * 1024;

    /// <summary>The uploads one user may send in <see cref="UploadWindow"/>: 30.</summary>
    public const int UploadsPerWindow = 30;

    /// <summary>The window of the per-user upload limit: one minute.</summary>
    public static readonly TimeSpan UploadWindow = TimeSpan.FromMinutes(1);
}

/// <summary>Options of the portfolio HTTP endpoints (學習歷程模組 API), bound from <see cref="SectionName"/>.</summary>
public sealed class PortfolioEndpointOptions
{
    /// <summary>The configuration section the options bind from: <c>Portfolio:Endpoints</c>.</summary>
    public const string SectionName = "Portfolio:Endpoints";

    /// <summary>Gets or sets the most files one upload (or edit) may carry.</summary>
    /// <value>The default value is <see cref="PortfolioEndpointDefaults.MaxFilesPerUpload"/> (5).</value>
    public int MaxFilesPerUpload { get; set; } = PortfolioEndpointDefaults.MaxFilesPerUpload;

    /// <summary>Gets or sets the most bytes the text fields of one upload form may take together.</summary>
    /// <value>The default value is <see cref="PortfolioEndpointDefaults.MaxFormFieldBytes"/> (64 KiB).</value>
    public int MaxFormFieldBytes { get; set; } = PortfolioEndpointDefaults.MaxFormFieldBytes;

    /// <summary>Gets or sets how many uploads and edits one user (by actor id) may send in <see cref="UploadWindow"/>.</summary>
    /// <value>The default value is <see cref="PortfolioEndpointDefaults.UploadsPerWindow"/> (30).</value>
    public int UploadsPerWindow { get; set; } = PortfolioEndpointDefaults.UploadsPerWindow;

    /// <summary>Gets or sets the window of the per-user upload limit.</summary>
    /// <value>The default value is <see cref="PortfolioEndpointDefaults.UploadWindow"/> (one minute).</value>
    public TimeSpan UploadWindow { get; set; } = PortfolioEndpointDefaults.UploadWindow;

    /// <summary>
    /// Gets or sets whether multipart uploads must carry a valid antiforgery token (in the <c>RequestVerificationToken</c>
    /// header, or as a form field). Turn it off only for hosts whose callers authenticate with bearer tokens, never cookies.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireAntiforgery { get; set; } = true;
}
