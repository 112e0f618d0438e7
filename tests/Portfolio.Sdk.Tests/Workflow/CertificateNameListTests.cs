using System.Text;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Tests.Workflow;

public sealed class CertificateNameListTests
{
    private static readonly PortfolioActor Manager = new("m1", new HashSet<PortfolioRole> { PortfolioRole.CertificateManager });
    private static readonly PortfolioActor Admin = new("a1", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });
    private static readonly PortfolioActor Teacher = new("t1", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });

    private static CertificateNameList Ok(WorkflowResult<CertificateNameList> result)
    {
        result.Problem.ShouldBeNull();
        return result.Value!;
    }

    private static Diagnostic Refused(WorkflowResult<CertificateNameList> result, string code)
    {
        result.Succeeded.ShouldBeFalse();
        result.Value.ShouldBeNull();
        result.Problem!.Code.ShouldBe(code);
        return result.Problem;
    }

    private static ParseOutcome<CertificateNameList> Load(string json) => CertificateNameList.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "certificates.json");

    [Fact]
    public void TheManager_AddsRenamesAndRetires_EachChangeANewVersion()
    {
        var list = Ok(CertificateNameList.Empty.Add(Manager, 0, "  TQC   文書處理 ", "TQC-01"));
        list = Ok(list.Add(Admin, 1, "丙級電腦軟體應用"));
        list = Ok(list.Rename(Manager, 2, 1, "TQC 文書處理（Word）"));
        list = Ok(list.Retire(Manager, 3, 2));

        list.Version.ShouldBe(4);
        list.Entries.ShouldBe([new CertificateName(1, "TQC 文書處理(Word)", "TQC-01"), new CertificateName(2, "丙級電腦軟體應用", null, IsRetired: true)]);
        list.Active.Select(e => e.Id).ShouldBe([1]);
        list.Find("tqc 文書處理(word)")!.Id.ShouldBe(1);
        CertificateNameList.Empty.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void OthersAreRefused_InWords()
    {
        var refused = Refused(CertificateNameList.Empty.Add(Teacher, 0, "多益"), DiagnosticCodes.PermissionDenied);

        refused.Message.ShouldBe("權限不足：授課教師不能管理檢定證照項目");
        refused.MessageEnglish.ShouldBe("A course teacher cannot manage the certificate names (permission denied)");
        Refused(CertificateNameList.Empty.Add(PortfolioActor.StudentOf("s", "S1"), 0, "多益"), DiagnosticCodes.PermissionDenied);
        Refused(CertificateNameList.Empty.Add(new PortfolioActor("p", new HashSet<PortfolioRole> { PortfolioRole.PerformanceManager }), 0, "多益"), DiagnosticCodes.PermissionDenied);
    }

    [Fact]
    public void Duplicates_StaleVersions_UnknownAndRetiredEntries_AndBadNames_AreRefused()
    {
        var list = Ok(Ok(CertificateNameList.Empty.Add(Manager, 0, "TOEIC 多益")).Add(Manager, 1, "全民英檢中級"));

        Refused(list.Add(Manager, 2, "ＴＯＥＩＣ　多益"), DiagnosticCodes.CertificateNameDuplicate).Message.ShouldBe("證照名稱「TOEIC 多益」已在清單中（第 1 項）");
        Refused(list.Add(Manager, 2, "toeic 多益"), DiagnosticCodes.CertificateNameDuplicate);
        Refused(list.Rename(Manager, 2, 2, "TOEIC 多益"), DiagnosticCodes.CertificateNameDuplicate);
        Ok(list.Rename(Manager, 2, 1, "TOEIC 多益")).Version.ShouldBe(3);
        Refused(list.Add(Manager, 1, "日檢 N2"), DiagnosticCodes.VersionConflict);
        Refused(list.Rename(Manager, 2, 9, "日檢 N2"), DiagnosticCodes.CertificateNameUnknown);
        Refused(list.Add(Manager, 2, "   "), DiagnosticCodes.CertificateNameInvalid);
        Refused(list.Add(Manager, 2, new string('證', CertificateNameList.NameMaxLength + 1)), DiagnosticCodes.CertificateNameInvalid);
        Ok(list.Add(Manager, 2, new string('證', CertificateNameList.NameMaxLength)));

        var retired = Ok(list.Retire(Manager, 2, 2));
        Refused(retired.Rename(Manager, 3, 2, "全民英檢中高級"), DiagnosticCodes.CertificateNameRetired);
        Refused(retired.Retire(Manager, 3, 2), DiagnosticCodes.CertificateNameRetired);
        Refused(retired.Add(Manager, 3, "全民英檢中級"), DiagnosticCodes.CertificateNameDuplicate);
    }

    [Fact]
    public async Task SaveThenLoad_GivesTheSameList()
    {
        var list = Ok(Ok(Ok(CertificateNameList.Empty.Add(Manager, 0, "TOEIC 多益", "E01")).Add(Manager, 1, "丙級中餐烹調")).Retire(Manager, 2, 1));
        using var stream = new MemoryStream();

        await list.SaveAsync(stream, TestContext.Current.CancellationToken);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        var loaded = CertificateNameList.Load(stream, "certificates.json");

        text.ShouldContain("丙級中餐烹調");
        loaded.Diagnostics.ShouldBeEmpty();
        loaded.Value!.Version.ShouldBe(3);
        loaded.Value.Entries.ShouldBe(list.Entries);
    }

    [Theory]
    [InlineData("""{ "version": 1, "entry": [] }""", "entry", "entry")]
    [InlineData("""{ "version": 1, "entries": [ { "id": 1, "name": "多益", "retire": true } ] }""", "retire", "entries[0].retire")]
    public void Load_RefusesUnknownKeys_NamingKeyAndPath(string json, string key, string path)
    {
        var outcome = Load(json);

        outcome.Success.ShouldBeFalse();
        var unknown = outcome.Diagnostics.Single(d => d.Code == DiagnosticCodes.JsonKeyUnknown);
        unknown.Location!.Path.ShouldBe(path);
        unknown.Location.Source.ShouldBe("certificates.json");
        unknown.Message.ShouldContain($"「{key}」");
        unknown.MessageEnglish.ShouldContain($"\"{key}\"");
    }

    [Theory]
    [InlineData("{ nope", DiagnosticCodes.CertificateListInvalid)]
    [InlineData("""{ "version": -1, "entries": [] }""", DiagnosticCodes.CertificateListInvalid)]
    [InlineData("""{ "version": 1, "entries": [ { "id": 0, "name": "多益" } ] }""", DiagnosticCodes.CertificateListInvalid)]
    [InlineData("""{ "version": 1, "entries": [ { "id": 1, "name": "多益" }, { "id": 1, "name": "英檢" } ] }""", DiagnosticCodes.CertificateListInvalid)]
    [InlineData("""{ "version": 1, "entries": [ { "id": 1, "name": "多益" }, { "id": 2, "name": "多益" } ] }""", DiagnosticCodes.CertificateNameDuplicate)]
    [InlineData("""{ "version": 1, "entries": [ { "id": 1, "name": "" } ] }""", DiagnosticCodes.CertificateNameInvalid)]
    public void Load_RefusesBadLists(string json, string code)
    {
        var outcome = Load(json);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldContain(d => d.Code == code);
    }

    [Fact]
    public void Load_AcceptsASchemaReference()
    {
        Load("""{ "$schema": "certificates.schema.json", "version": 2, "entries": [ { "id": 3, "name": "多益" } ] }""").Value!.Entries.Single().Id.ShouldBe(3);
    }
}
