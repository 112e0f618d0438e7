using System.Reflection;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Tests.Diagnostics;

public sealed class DiagnosticCatalogTests
{
    private static IEnumerable<string> DeclaredCodes() =>
        typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void EveryDeclaredCode_IsInTheCatalogue_AndViceVersa()
    {
        var declared = DeclaredCodes().Order(StringComparer.Ordinal).ToList();
        var catalogued = DiagnosticCatalog.Default.Descriptors.Select(d => d.Code).ToList();

        declared.Distinct().Count().ShouldBe(declared.Count, "two constants share a code");
        catalogued.ShouldBe(declared);
    }

    [Fact]
    public void EveryCode_HasTheStableShapeAndBothLanguages()
    {
        foreach (var descriptor in DiagnosticCatalog.Default.Descriptors)
        {
            descriptor.Code.ShouldMatch("^PF[0-9]{4}$");
            descriptor.Title.ShouldMatch("^[a-z0-9-]+$");
            descriptor.MessageFormat.ShouldMatch(@"\p{IsCJKUnifiedIdeographs}", descriptor.Code);
            descriptor.MessageFormatEnglish.ShouldMatch("^[A-Z\"{]", descriptor.Code);
            descriptor.MessageFormatEnglish.ShouldNotMatch(@"\p{IsCJKUnifiedIdeographs}", descriptor.Code);
        }
    }

    [Fact]
    public void EveryTemplate_FormatsWithFiveArguments()
    {
        foreach (var descriptor in DiagnosticCatalog.Default.Descriptors)
        {
            var diagnostic = DiagnosticCatalog.Create(descriptor.Code, null, "a", "b", "c", "d", "e");
            diagnostic.Message.ShouldNotContain("{");
            diagnostic.MessageEnglish.ShouldNotContain("{");
            diagnostic.Severity.ShouldBe(descriptor.Severity);
        }
    }

    [Fact]
    public void Create_UnknownCode_Throws()
    {
        Should.Throw<ArgumentException>(() => DiagnosticCatalog.Create("PF9999", null));
    }

    [Fact]
    public void ToString_ShowsCodeSeverityLocationAndBothMessages()
    {
        var diagnostic = DiagnosticCatalog.Create(DiagnosticCodes.SchoolCodeLength, new DiagnosticLocation(Sheet: "封面", Row: 2, Column: "學校代碼"), 5);

        diagnostic.ToString().ShouldBe("PF0302 error [sheet=封面, row=2, column=學校代碼]: 學校代碼應為 6 碼，收到 5 碼 / A school code has 6 characters; got 5");
    }

    [Fact]
    public void Location_AppendBuildsDottedPaths()
    {
        var location = DiagnosticLocation.ForPath("row").Append("courseCode").Append("group");

        location.Path.ShouldBe("row.courseCode.group");
        new DiagnosticLocation().Append("x").Path.ShouldBe("x");
    }
}
