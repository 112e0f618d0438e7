using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.Privacy;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SDK's masking of personal data (個人資料遮罩) as the redactors of its data classes.</summary>
public static class PortfolioRedactionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="NationalIdRedactor"/> for <see cref="PortfolioDataClassifications.NationalId"/> and
    /// <see cref="PersonNameRedactor"/> for <see cref="PortfolioDataClassifications.PersonName"/>, and turns on
    /// redaction in logging, so that every classified parameter of the SDK's log messages (and the host's own, marked
    /// with <see cref="NationalIdDataAttribute"/> or <see cref="PersonNameDataAttribute"/>) is masked before any
    /// provider sees it.
    /// </summary>
    /// <remarks>
    /// Sets <see cref="LoggerRedactionOptions.ApplyDiscriminator"/> to <see langword="false"/>: the masks show the value's
    /// own first and last characters (<c>A12****789</c>), as <c>ToString()</c> does.
    /// </remarks>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioRedaction(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRedaction(redaction => redaction
            .SetRedactor<NationalIdRedactor>(new DataClassificationSet(PortfolioDataClassifications.NationalId))
            .SetRedactor<PersonNameRedactor>(new DataClassificationSet(PortfolioDataClassifications.PersonName)));
        services.AddLogging(logging => logging.EnableRedaction());

        // The discriminator appends ":TagName" to each value before it is redacted (for HMAC redactors); masking keeps
        // the first and last characters, so it would show the tag name instead of the value's own last digits.
        services.Configure<LoggerRedactionOptions>(o => o.ApplyDiscriminator = false);
        return services;
    }
}
