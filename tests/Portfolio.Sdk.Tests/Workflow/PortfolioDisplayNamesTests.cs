using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Tests.Workflow;

public sealed class PortfolioDisplayNamesTests
{
    private static void ShouldBeWords(BilingualName name, string enumName)
    {
        name.Chinese.ShouldMatch(@"^\p{IsCJKUnifiedIdeographs}[\p{IsCJKUnifiedIdeographs}、的]*$", enumName);
        name.English.ShouldMatch("^[a-z][a-z0-9 -]*$", enumName);
        name.English.ShouldNotContain(enumName, Case.Sensitive);
    }

    [Fact]
    public void EveryRoleOperationStateWindowAndGrade_HasBothNames_AndNoTwoShareOne()
    {
        var roles = Enum.GetValues<PortfolioRole>().Select(v => (Name: PortfolioDisplayNames.Of(v), Enum: v.ToString())).ToList();
        var operations = Enum.GetValues<PortfolioOperation>().Select(v => (Name: PortfolioDisplayNames.Of(v), Enum: v.ToString())).ToList();
        var states = Enum.GetValues<CertificationState>().Select(v => (Name: PortfolioDisplayNames.Of(v), Enum: v.ToString())).ToList();
        var windows = Enum.GetValues<PolicyWindowKind>().Select(v => (Name: PortfolioDisplayNames.Of(v), Enum: v.ToString())).ToList();
        var grades = Enum.GetValues<GradeLevel>().Select(v => (Name: PortfolioDisplayNames.Of(v), Enum: v.ToString())).ToList();

        foreach (var group in new[] { roles, operations, states, windows, grades })
        {
            foreach (var (name, enumName) in group.Where(g => g.Enum is not ("First" or "Second" or "Third")))
            {
                ShouldBeWords(name, enumName);
            }

            group.Select(g => g.Name.Chinese).Distinct().Count().ShouldBe(group.Count);
            group.Select(g => g.Name.English).Distinct().Count().ShouldBe(group.Count);
        }

        grades.Select(g => g.Name).ShouldBe([new("高一", "grade 10"), new("高二", "grade 11"), new("高三", "grade 12")]);
    }

    [Fact]
    public void SeedRoleNames_AreTheSeedsWords()
    {
        PortfolioDisplayNames.Of(PortfolioRole.CourseTeacher).ShouldBe(new BilingualName("授課教師", "course teacher"));
        PortfolioDisplayNames.Of(PortfolioRole.CertificateManager).Chinese.ShouldBe("證照項目管理者");
        PortfolioDisplayNames.Of(PortfolioOperation.SelectItems).ShouldBe(new BilingualName("勾選項目", "select items"));
    }

    [Fact]
    public void AnUndefinedValue_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => PortfolioDisplayNames.Of((PortfolioRole)99));
        Should.Throw<ArgumentOutOfRangeException>(() => PortfolioDisplayNames.Of((PortfolioOperation)0));
    }
}
