using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using static Portfolio.Sdk.Tests.Admission.AdmissionTestData;

namespace Portfolio.Sdk.Tests.Admission;

/// <summary><see cref="AdmissionPreparation.Assess"/> on the shipped rules: what a student can bring to each route, and why an item is left out.</summary>
public sealed class AdmissionPreparationTests
{
    // A 技術型 student admitted in 113: four 實習科目 outcomes (B-1), one 一般科目 (B-2), one with the unknown 科目屬性 C,
    // two competitions (C-5), one 先修課程 (in no 四技二專 code), and one item submitted for 113 itself (too late).
    private static readonly AdmissionItem[] Items =
    [
        Outcome("3", 110), Outcome("3", 111), Outcome("3", 111), Outcome("3", 112), Outcome("1", 112), Outcome("C", 112),
        Performance("performance-competition", 111), Performance("performance-competition", 112), Performance("performance-precollege", 112),
        Performance("performance-service", 113),
    ];

    [Fact]
    public void Vocational113_B1CutTo3_CountsPerCode_AndListsEveryUnplacedItemWithItsReason()
    {
        var assessment = AdmissionPreparation.Assess(Items, new SchoolYear(113));

        var route = assessment[AdmissionRoute.VocationalSelection];
        route.IsKnown.ShouldBeTrue();
        route.Edition!.From.RocYear.ShouldBe(113);
        var b1 = route.Caps.Single(c => c.Cap.Id == "B-1");
        (b1.Available, b1.Cap.Max, b1.Counted, b1.MeetsMinimum).ShouldBe((4, 3, 3, true));
        b1.Cap.Evidence.ShouldBe(Evidence.ConfirmedThirdParty);
        b1.Cap.Source.ShouldNotBeNull().ShouldContain("113");
        route.Caps.Single(c => c.Cap.Id == "B-2").Available.ShouldBe(1);
        route.Caps.Single(c => c.Cap.Id == "C").Available.ShouldBe(2);
        route.Codes.Single(c => c.Code.Code == "B-1").Items.ShouldBe(Items[..4].Select(i => i.Id));
        route.Codes.Single(c => c.Code.Code == "C-5").Items.ShouldBe([Items[6].Id, Items[7].Id]);
        route.Codes.Single(c => c.Code.Code == "C-4").Items.ShouldBeEmpty();
        route.MostItems.ShouldBe(3 + 1 + 2);

        route.Unplaced.Select(u => (u.Item, u.Reason.Code)).ShouldBe(
        [
            (Items[5], DiagnosticCodes.AdmissionCourseOutcomeUnplaced),
            (Items[8], DiagnosticCodes.AdmissionPerformanceUnplaced),
            (Items[9], DiagnosticCodes.AdmissionItemAfterYear),
        ], ignoreOrder: true);
        var attribute = route.Unplaced.Single(u => u.Item == Items[5]).Reason;
        attribute.Message.ShouldContain("科目屬性 C");
        attribute.Message.ShouldContain(Items[5].CourseCode!.Value.Value);
        route.Unplaced.Single(u => u.Item == Items[9]).Reason.MessageEnglish.ShouldContain("school year 113");

        assessment.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionOverCap && d.Location!.Path == "vocational-selection.B-1");
        assessment.Diagnostics.ShouldNotContain(d => d.Code == DiagnosticCodes.AdmissionRulesCarriedForward && d.Location!.Path == AdmissionRoute.VocationalSelection);
    }

    [Fact]
    public void University113_ThreeOutcomesAndTenPerformancesPer校系_EveryCategoryAndAttributeCounts()
    {
        var assessment = AdmissionPreparation.Assess(Items, new SchoolYear(113));

        var route = assessment[AdmissionRoute.UniversityApplication];
        var outcomes = route.Caps.Single(c => c.Cap.Id == "course-outcomes");
        (outcomes.Available, outcomes.Cap.Max, outcomes.Counted).ShouldBe((6, 3, 3));
        var performances = route.Caps.Single(c => c.Cap.Id == "performances");
        (performances.Available, performances.Cap.Max, performances.Counted).ShouldBe((3, 10, 3));
        route.Unplaced.ShouldHaveSingleItem().Item.ShouldBe(Items[9]);
        route.MostItems.ShouldBe(6);
        assessment.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesCarriedForward && d.Location!.Path == "university-application");
    }

    [Fact]
    public void Vocational112_StillCountsSixUnderB1()
    {
        var assessment = AdmissionPreparation.Assess(Items, new SchoolYear(112));

        var route = assessment[AdmissionRoute.VocationalSelection];
        route.Edition!.Until!.Value.RocYear.ShouldBe(112);
        var b1 = route.Caps.Single(c => c.Cap.Id == "B-1");
        (b1.Available, b1.Cap.Max, b1.Counted).ShouldBe((3, 6, 3));      // the 112 item is too late for 112
        route.Codes.Single(c => c.Code.Code == "B-1").Code.Evidence.ShouldBe(Evidence.Inferred);
        assessment.Diagnostics.ShouldNotContain(d => d.Code == DiagnosticCodes.AdmissionOverCap && d.Location!.Path == "vocational-selection.B-1");
    }

    [Fact]
    public void EachItem_NamesTheCodesItFallsUnderInEveryRoute()
    {
        var assessment = AdmissionPreparation.Assess(Items, new SchoolYear(113));

        var practicum = assessment.Items[0].Routes;
        practicum.Single(r => r.RouteId == AdmissionRoute.VocationalSelection).Codes.ShouldBe(["B-1"]);
        practicum.Single(r => r.RouteId == AdmissionRoute.UniversityApplication).Codes.ShouldBe(["course-outcomes"]);
        var precollege = assessment.Items[8].Routes;
        precollege.Single(r => r.RouteId == AdmissionRoute.VocationalSelection).Reason!.Code.ShouldBe(DiagnosticCodes.AdmissionPerformanceUnplaced);
        precollege.Single(r => r.RouteId == AdmissionRoute.UniversityApplication).Codes.ShouldBe(["performances"]);
    }

    [Theory]
    [InlineData("performance-flexible", "C-1")]
    [InlineData("performance-group-activity", "C-2")]
    [InlineData("performance-cadre", "C-3")]
    [InlineData("performance-service", "C-4")]
    [InlineData("performance-competition", "C-5")]
    [InlineData("performance-work", "C-6")]
    [InlineData("performance-workplace", "C-6")]
    [InlineData("performance-certificate", "C-7")]
    [InlineData("performance-other", "C-8")]
    public void EveryPerformanceCategory_FallsUnderItsCCode(string category, string code)
    {
        var assessment = AdmissionPreparation.Assess([Performance(category, 112)], new SchoolYear(113));

        assessment.Items.ShouldHaveSingleItem().Routes.Single(r => r.RouteId == AdmissionRoute.VocationalSelection).Codes.ShouldBe([code]);
    }

    [Fact]
    public void NoPracticumOutcome_WarnsThatB1NeedsOne()
    {
        var assessment = AdmissionPreparation.Assess([Outcome("1", 112)], new SchoolYear(113));

        var below = assessment.Diagnostics.Single(d => d.Code == DiagnosticCodes.AdmissionBelowMinimum);
        below.Severity.ShouldBe(DiagnosticSeverity.Warning);
        below.Location!.Path.ShouldBe("vocational-selection.B-1");
        assessment[AdmissionRoute.VocationalSelection].Caps.Single(c => c.Cap.Id == "B-1").MeetsMinimum.ShouldBeFalse();
    }

    [Fact]
    public void AYearBeforeTheCentralDatabase_IsUnknown_AndEveryItemIsListedWithThatReason()
    {
        var assessment = AdmissionPreparation.Assess(Items, new SchoolYear(110));

        assessment.Diagnostics.Where(d => d.Code == DiagnosticCodes.AdmissionRulesUnknownYear).Select(d => d.Location!.Path)
            .ShouldBe([AdmissionRoute.UniversityApplication, AdmissionRoute.VocationalSelection]);
        var unknown = assessment.Diagnostics.First(d => d.Code == DiagnosticCodes.AdmissionRulesUnknownYear);
        unknown.IsError.ShouldBeTrue();
        unknown.Message.ShouldContain("110");
        unknown.MessageEnglish.ShouldContain("known: 111–");
        foreach (var route in assessment.Routes)
        {
            route.IsKnown.ShouldBeFalse();
            route.MostItems.ShouldBe(0);
            route.Unplaced.Count.ShouldBe(Items.Length);
        }
    }

    [Fact]
    public void AYearPastTheSources_IsCarriedForwardWithAWarning()
    {
        var assessment = AdmissionPreparation.Assess(Items, new SchoolYear(115));

        var carried = assessment.Diagnostics.Where(d => d.Code == DiagnosticCodes.AdmissionRulesCarriedForward).ToList();
        carried.Count.ShouldBe(2);
        carried.ShouldAllBe(d => d.Severity == DiagnosticSeverity.Warning);
        carried.Single(d => d.Location!.Path == AdmissionRoute.VocationalSelection).MessageEnglish.ShouldContain("carried forward from the edition of 113");
        assessment[AdmissionRoute.VocationalSelection].Caps.Single(c => c.Cap.Id == "B-1").Cap.Max.ShouldBe(3);
    }

    [Fact]
    public void NoItems_GivesEmptyCounts_NotAnError()
    {
        var assessment = AdmissionPreparation.Assess([], new SchoolYear(113));

        assessment.Items.ShouldBeEmpty();
        assessment.Routes.ShouldAllBe(r => r.MostItems == 0 && r.Unplaced.Count == 0 && r.Caps.All(c => c.Available == 0));
        assessment.Diagnostics.ShouldNotContain(d => d.IsError);
    }

    [Fact]
    public void ItemsFromTheWorkflow_CarryTheirYearAndFacts_AndUnselectedOnesAreRefused()
    {
        var outcome = new Portfolio.Sdk.Workflow.CourseOutcome
        {
            Id = Guid.NewGuid(), StudentKey = "A123456789", Term = SchoolTerm.Parse("112-1"), CourseCode = Course("3"), Summary = "s", CertifyingTeacher = "t",
            SelectedFor = new SchoolYear(112),
        };
        var item = AdmissionItem.From(outcome);
        (item.Kind, item.SubmittedFor.RocYear, item.CourseCode!.Value.SubjectAttribute).ShouldBe((AdmissionItemKind.CourseOutcome, 112, "3"));
        Should.Throw<ArgumentException>(() => AdmissionItem.From(outcome with { SelectedFor = null }));
        var performance = new Portfolio.Sdk.Workflow.PerformanceItem { Id = Guid.NewGuid(), StudentKey = "A123456789", Category = "performance-other", Date = new DateOnly(2023, 9, 1), SelectedFor = new SchoolYear(112) };
        AdmissionItem.From(performance).PerformanceCategory.ShouldBe("performance-other");
        item.ToString().ShouldNotContain("A123456789");
    }
}
