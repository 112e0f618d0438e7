using System.Globalization;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Tests.Privacy;

/// <summary>The SDK's masking as the redactors of its data classes, and logs that go through them.</summary>
public sealed partial class RedactorTests
{
    [Theory]
    [InlineData("A123456789", "A12****789")]
    [InlineData("S0001", "S***1")]
    [InlineData("", "")]
    public void NationalIdRedactor_IsTheSdksIdentifierMasking(string value, string expected)
    {
        new NationalIdRedactor().Redact(value).ShouldBe(expected);
        new NationalIdRedactor().Redact(value).ShouldBe(Redaction.MaskIdentifier(value));
    }

    [Theory]
    [InlineData("王小明", "王○明")]
    [InlineData("歐陽娜娜", "歐○○娜")]
    [InlineData("林", "○")]
    [InlineData("𠀋小明", "𠀋○明")]      // a name with a character outside the BMP (surrogate pair)
    public void PersonNameRedactor_IsTheSdksNameMasking(string value, string expected)
    {
        var redactor = new PersonNameRedactor();
        redactor.Redact(value).ShouldBe(expected);
        redactor.GetRedactedLength(value).ShouldBe(expected.Length);
    }

    [Fact]
    public void AddPortfolioRedaction_RegistersTheRedactorsOfTheTaxonomy()
    {
        using var provider = new ServiceCollection().AddPortfolioRedaction().BuildServiceProvider();
        var redactors = provider.GetRequiredService<IRedactorProvider>();

        redactors.GetRedactor(new DataClassificationSet(PortfolioDataClassifications.NationalId)).ShouldBeOfType<NationalIdRedactor>();
        redactors.GetRedactor(new DataClassificationSet(PortfolioDataClassifications.PersonName)).ShouldBeOfType<PersonNameRedactor>();
        PortfolioDataClassifications.NationalId.TaxonomyName.ShouldBe("Portfolio.Sdk");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "student {NationalId} {Name} needs attention")]
    private static partial void LogStudent(ILogger logger, [NationalIdData] string nationalId, [PersonNameData] string name);

    [Fact]
    public void AHostsOwnClassifiedLog_GoesThroughTheRedactor_NothingRawInAnyRecord()
    {
        var services = new ServiceCollection().AddFakeLogging().AddPortfolioRedaction();
        using var provider = services.BuildServiceProvider();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("vendor");

        LogStudent(logger, "A123456789", "王小明");

        var record = provider.GetFakeLogCollector().GetSnapshot().ShouldHaveSingleItem();
        record.Message.ShouldBe("student A12****789 王○明 needs attention");
        var all = record.Message + string.Join(";", record.StructuredState!.Select(kv => kv.Key + "=" + kv.Value));
        all.ShouldNotContain("A123456789");
        all.ShouldNotContain("王小明");
    }
}
