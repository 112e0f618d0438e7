using Microsoft.Extensions.Compliance.Classification;

namespace Portfolio.Sdk.Privacy;

/// <summary>
/// The data classification taxonomy of Portfolio.Sdk (個人資料分類): what a value is, so that the registered
/// redactor masks it wherever it is logged. <see cref="Microsoft.Extensions.DependencyInjection.PortfolioRedactionServiceCollectionExtensions.AddPortfolioRedaction(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>
/// registers the SDK's own masking for each class.
/// </summary>
public static class PortfolioDataClassifications
{
    /// <summary>The taxonomy's name: <c>Portfolio.Sdk</c>.</summary>
    public const string TaxonomyName = "Portfolio.Sdk";

    /// <summary>Gets the class of 身分證號 and 居留證號 (and other personal identifiers such as 學號).</summary>
    public static DataClassification NationalId { get; } = new(TaxonomyName, nameof(NationalId));

    /// <summary>Gets the class of a person's name (姓名).</summary>
    public static DataClassification PersonName { get; } = new(TaxonomyName, nameof(PersonName));
}

/// <summary>Marks a value as a 身分證號 or another personal identifier (<see cref="PortfolioDataClassifications.NationalId"/>).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.ReturnValue, AllowMultiple = false)]
public sealed class NationalIdDataAttribute : DataClassificationAttribute
{
    /// <summary>Initializes the attribute.</summary>
    public NationalIdDataAttribute()
        : base(PortfolioDataClassifications.NationalId)
    {
    }
}

/// <summary>Marks a value as a person's name (<see cref="PortfolioDataClassifications.PersonName"/>).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.ReturnValue, AllowMultiple = false)]
public sealed class PersonNameDataAttribute : DataClassificationAttribute
{
    /// <summary>Initializes the attribute.</summary>
    public PersonNameDataAttribute()
        : base(PortfolioDataClassifications.PersonName)
    {
    }
}
