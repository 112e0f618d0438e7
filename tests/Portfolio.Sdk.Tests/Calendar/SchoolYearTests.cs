using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Tests.Infrastructure;

namespace Portfolio.Sdk.Tests.Calendar;

public sealed class SchoolYearTests
{
    [Theory]
    [InlineData(2024, 7, 31, 112)]
    [InlineData(2024, 8, 1, 113)]
    [InlineData(2025, 1, 31, 113)]
    [InlineData(2025, 7, 31, 113)]
    [InlineData(2019, 8, 1, 108)]
    public void FromDate_SchoolYearStartsOnFirstOfAugust(int year, int month, int day, int expected)
    {
        SchoolYear.FromDate(new DateOnly(year, month, day)).RocYear.ShouldBe(expected);
    }

    [Fact]
    public void StartAndEndDates_SpanAugustToJuly()
    {
        var year = new SchoolYear(113);

        year.StartDate.ShouldBe(new DateOnly(2024, 8, 1));
        year.EndDate.ShouldBe(new DateOnly(2025, 7, 31));
        year.Contains(new DateOnly(2025, 7, 31)).ShouldBeTrue();
        year.Contains(new DateOnly(2025, 8, 1)).ShouldBeFalse();
        SchoolYear.FromGregorianStartYear(2024).ShouldBe(year);
    }

    [Theory]
    [InlineData("113", true, null)]
    [InlineData(" 108 ", true, null)]
    [InlineData("abc", false, DiagnosticCodes.SchoolYearFormat)]
    [InlineData("", false, DiagnosticCodes.SchoolYearFormat)]
    [InlineData("-1", false, DiagnosticCodes.SchoolYearFormat)]
    [InlineData("0", false, DiagnosticCodes.SchoolYearRange)]
    [InlineData("1000", false, DiagnosticCodes.SchoolYearRange)]
    public void Validate_ReportsFormatAndRange(string input, bool success, string? code)
    {
        var outcome = SchoolYear.Validate(input);

        outcome.Success.ShouldBe(success);
        if (code is not null)
        {
            outcome.Diagnostics.Single().Code.ShouldBe(code);
        }
    }

    [Fact]
    public void Constructor_OutOfRange_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new SchoolYear(0));
        Should.Throw<ArgumentOutOfRangeException>(() => new SchoolYear(1000));
    }

    [Fact]
    public void Comparison_OrdersByYear()
    {
        (new SchoolYear(112) < new SchoolYear(113)).ShouldBeTrue();
        new SchoolYear(113).AddYears(-5).ShouldBe(new SchoolYear(108));
        new SchoolYear(113).ToString().ShouldBe("113");
    }
}

public sealed class SchoolTermTests
{
    [Theory]
    [InlineData(2024, 8, 1, "113-1")]
    [InlineData(2025, 1, 31, "113-1")]
    [InlineData(2025, 2, 1, "113-2")]
    [InlineData(2025, 7, 31, "113-2")]
    public void FromDate_FirstTermToJanuaryThenSecondTerm(int year, int month, int day, string expected)
    {
        SchoolTerm.FromDate(new DateOnly(year, month, day)).ToString().ShouldBe(expected);
    }

    [Fact]
    public void Dates_OfEachTermAndTheWholeYear()
    {
        var first = SchoolTerm.Parse("113-1");
        var second = SchoolTerm.Parse("113-2");
        var whole = SchoolTerm.Parse("113-0");

        first.StartDate.ShouldBe(new DateOnly(2024, 8, 1));
        first.EndDate.ShouldBe(new DateOnly(2025, 1, 31));
        second.StartDate.ShouldBe(new DateOnly(2025, 2, 1));
        second.EndDate.ShouldBe(new DateOnly(2025, 7, 31));
        whole.Term.ShouldBe(Term.WholeYear);
        whole.StartDate.ShouldBe(first.StartDate);
        whole.EndDate.ShouldBe(second.EndDate);
    }

    [Fact]
    public void Next_AdvancesAcrossYears()
    {
        SchoolTerm.Parse("113-1").Next().ToString().ShouldBe("113-2");
        SchoolTerm.Parse("113-2").Next().ToString().ShouldBe("114-1");
        Should.Throw<InvalidOperationException>(() => SchoolTerm.Parse("113-0").Next());
    }

    [Theory]
    [InlineData("113", DiagnosticCodes.SchoolTermFormat)]
    [InlineData("113-", DiagnosticCodes.SchoolTermFormat)]
    [InlineData("-1", DiagnosticCodes.SchoolTermFormat)]
    [InlineData("113-3", DiagnosticCodes.TermInvalid)]
    [InlineData("x-1", DiagnosticCodes.SchoolYearFormat)]
    public void Validate_BadText_ReportsTheProblem(string input, string code)
    {
        var outcome = SchoolTerm.Validate(input);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Select(d => d.Code).ShouldContain(code);
    }

    [Fact]
    public void Comparison_OrdersByYearThenTerm()
    {
        (SchoolTerm.Parse("112-2") < SchoolTerm.Parse("113-1")).ShouldBeTrue();
        (SchoolTerm.Parse("113-1") < SchoolTerm.Parse("113-2")).ShouldBeTrue();
    }
}

public sealed class SchoolCalendarTests
{
    [Fact]
    public void Today_UsesTaiwanTimeNotUtc()
    {
        // 16:30 UTC on 31 July is 00:30 on 1 August in Taiwan: already school year 113.
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 7, 31, 16, 30, 0, TimeSpan.Zero));
        var calendar = new SchoolCalendar(clock);

        calendar.Today.ShouldBe(new DateOnly(2024, 8, 1));
        calendar.CurrentYear.RocYear.ShouldBe(113);
        calendar.CurrentTerm.ShouldBe(new SchoolTerm(new SchoolYear(113), Term.First));
    }

    [Fact]
    public void CurrentTerm_FollowsTheInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(8)));
        var calendar = new SchoolCalendar(clock);
        calendar.CurrentTerm.ToString().ShouldBe("113-1");

        clock.Advance(TimeSpan.FromDays(1));

        calendar.CurrentTerm.ToString().ShouldBe("113-2");
    }

    [Fact]
    public void TaiwanTimeZone_IsUtcPlusEightWithoutDaylightSaving()
    {
        SchoolCalendar.TaiwanTimeZone.GetUtcOffset(new DateTime(2025, 1, 1)).ShouldBe(TimeSpan.FromHours(8));
        SchoolCalendar.TaiwanTimeZone.GetUtcOffset(new DateTime(2025, 7, 1)).ShouldBe(TimeSpan.FromHours(8));
    }
}
