using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;

namespace Portfolio.Sdk.Tests.Infrastructure;

/// <summary>Dates in messages are ISO 8601 or 民國, never the machine culture's, whatever the culture.</summary>
public sealed class CultureTests
{
    private static T Under<T>(string culture, Func<T> work)
    {
        var (current, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return work();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (current, ui);
        }
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    [InlineData("zh-TW")]
    public void WindowClosedDiagnostic_WritesIsoDates(string culture)
    {
        var term = SchoolTerm.Parse("113-1");
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
        {
            Windows = [new PolicyWindow(PolicyWindowKind.Upload, term, new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 14))],
        });

        var closed = Under(culture, () => policy.CheckWindow(PolicyWindowKind.Upload, term, new DateOnly(2025, 3, 1))).ShouldNotBeNull();

        closed.Code.ShouldBe("PF3305");
        foreach (var text in new[] { closed.Message, closed.MessageEnglish, Under(culture, closed.ToString) })
        {
            text.ShouldContain("2025-02-03");
            text.ShouldContain("2025-02-14");
            text.ShouldContain("2025-03-01");
            text.ShouldNotContain("2/14/2025");
            text.ShouldNotContain("14.02.2025");
        }
    }
}
