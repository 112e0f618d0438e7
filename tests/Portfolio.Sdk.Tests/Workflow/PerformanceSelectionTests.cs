using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Tests.Workflow;

public sealed class PerformanceSelectionTests
{
    private static readonly PortfolioActor Student = PortfolioActor.StudentOf("u1", "S000001");
    private static readonly SchoolYear Entry = new(112);

    private static PerformanceItem Item(DateOnly date, bool school = false) => new()
    {
        Id = Guid.NewGuid(), StudentKey = "S000001", Category = "performance-competition", Date = date, IsSchoolEntered = school,
    };

    [Fact]
    public void ItemsFromBeforeFirstJulyOfTheEntryYear_AreRefused()
    {
        PerformanceSelection.EarliestDate(Entry).ShouldBe(new DateOnly(2023, 7, 1));
        PerformanceSelection.Select(Item(new DateOnly(2023, 6, 30)), Student, 1, new SchoolYear(112), Entry, 0, new SelectionCaps()).Problem!.Code.ShouldBe(DiagnosticCodes.PerformanceBeforeEntry);
        PerformanceSelection.Select(Item(new DateOnly(2023, 7, 1)), Student, 1, new SchoolYear(112), Entry, 0, new SelectionCaps()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void EarlierYearItems_CountInTheYearTheyAreSelected()
    {
        var fromFirstYear = Item(new DateOnly(2023, 10, 1));

        var selected = PerformanceSelection.Select(fromFirstYear, Student, 1, new SchoolYear(113), Entry, 3, new SelectionCaps());

        selected.Value!.SelectedFor.ShouldBe(new SchoolYear(113));
    }

    [Fact]
    public void TenAYear_AndSchoolEnteredCadresAreNeitherSelectedNorCounted()
    {
        PerformanceSelection.Select(Item(new DateOnly(2024, 9, 1)), Student, 1, new SchoolYear(113), Entry, 10, new SelectionCaps()).Problem!.Code.ShouldBe(DiagnosticCodes.SelectionCap);
        PerformanceSelection.Select(Item(new DateOnly(2024, 9, 1)), Student, 1, new SchoolYear(113), Entry, 9, new SelectionCaps()).Succeeded.ShouldBeTrue();
        PerformanceSelection.Select(Item(new DateOnly(2024, 9, 1), school: true), Student, 1, new SchoolYear(113), Entry, 0, new SelectionCaps()).Problem!.Code.ShouldBe(DiagnosticCodes.SchoolEnteredNotSelectable);
    }

    [Fact]
    public void LockedItemsAndOtherStudents_AreRefused()
    {
        var locked = Item(new DateOnly(2024, 9, 1)) with { IsLocked = true };

        PerformanceSelection.Select(locked, Student, 1, new SchoolYear(113), Entry, 0, new SelectionCaps()).Problem!.Code.ShouldBe(DiagnosticCodes.ItemLocked);
        PerformanceSelection.Select(Item(new DateOnly(2024, 9, 1)), PortfolioActor.StudentOf("u2", "S000002"), 1, new SchoolYear(113), Entry, 0, new SelectionCaps()).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
    }
}
