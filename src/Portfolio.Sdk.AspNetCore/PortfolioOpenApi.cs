using Microsoft.AspNetCore.OpenApi;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>The OpenAPI document of the endpoints: described for a PHP or Java SIS to generate a client; no server URL (the host's address is the caller's).</summary>
internal static class PortfolioOpenApi
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Portfolio.Sdk 學習歷程模組 API";
            document.Info.Version = "v1";
            document.Info.Description = "The portfolio module's endpoints (Portfolio.Sdk.AspNetCore). Refusals are RFC 9457 problem details carrying a PF code, both messages (zh-TW, English) and the location; student keys are masked.";
            document.Servers?.Clear();
            return Task.CompletedTask;
        });
    }
}
