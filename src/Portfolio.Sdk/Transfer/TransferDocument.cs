using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portfolio.Sdk.Transfer;

/// <summary>
/// The JSON document of a transfer package (歷程交換檔): a student's portfolio as the sending school hands it to the
/// receiving school, in the layout of the vendor exchange format (research §3.9): <c>基本資料</c>,
/// <c>課程學習成果紀錄</c> and <c>多元表現</c>, each file named by its entry in the zip and its MD5.
/// </summary>
public sealed record TransferDocument
{
    /// <summary>Gets the student and the sending school (基本資料), with the school-entered cadre records.</summary>
    [JsonPropertyName("基本資料")]
    public required TransferStudent Student { get; init; }

    /// <summary>Gets the 課程學習成果 (課程學習成果紀錄).</summary>
    [JsonPropertyName("課程學習成果紀錄")]
    public IReadOnlyList<TransferCourseOutcome> CourseOutcomes { get; init; } = [];

    /// <summary>Gets the student's 多元表現, by category (多元表現).</summary>
    [JsonPropertyName("多元表現")]
    public TransferPerformances Performances { get; init; } = new();
}

/// <summary>The student and the sending school (基本資料).</summary>
public sealed record TransferStudent
{
    /// <summary>Gets the sending school's code (就讀學校代碼).</summary>
    [JsonPropertyName("就讀學校代碼")]
    public required string SchoolCode { get; init; }

    /// <summary>Gets the school year of the export (學年度, ROC).</summary>
    [JsonPropertyName("學年度")]
    public required int SchoolYear { get; init; }

    /// <summary>Gets the term of the export (學期: 1 or 2).</summary>
    [JsonPropertyName("學期")]
    public required int Term { get; init; }

    /// <summary>Gets the student's 身分證號 or 居留證號 (國民身分證統一編號(或居留證統一證號)).</summary>
    [JsonPropertyName("國民身分證統一編號(或居留證統一證號)")]
    public required string NationalId { get; init; }

    /// <summary>Gets the student's name (學生中文姓名).</summary>
    [JsonPropertyName("學生中文姓名")]
    public required string Name { get; init; }

    /// <summary>Gets the date of birth, <c>yyyy-MM-dd</c> (學生出生年月日).</summary>
    [JsonPropertyName("學生出生年月日")]
    public required string BirthDate { get; init; }

    /// <summary>Gets the school-entered cadre records (擔任學校幹部經歷紀錄, 校內幹部經歷).</summary>
    [JsonPropertyName("擔任學校幹部經歷紀錄")]
    public IReadOnlyList<TransferPerformance> Cadres { get; init; } = [];

    /// <summary>Returns the school and term with the ID masked and no name.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"TransferStudent {{ SchoolCode = {SchoolCode}, SchoolYear = {SchoolYear}, Term = {Term}, NationalId = {Privacy.Redaction.MaskIdentifier(NationalId)} }}";
}

/// <summary>One 課程學習成果 of a transfer package (課程學習成果紀錄).</summary>
public sealed record TransferCourseOutcome
{
    /// <summary>Gets the code of the school the course was taken at (修課學校代碼).</summary>
    [JsonPropertyName("修課學校代碼")]
    public required string SchoolCode { get; init; }

    /// <summary>Gets the school year the course was taken (應修課學年度, ROC).</summary>
    [JsonPropertyName("應修課學年度")]
    public required int SchoolYear { get; init; }

    /// <summary>Gets the term the course was taken (應修課學期: 1 or 2).</summary>
    [JsonPropertyName("應修課學期")]
    public required int Term { get; init; }

    /// <summary>Gets the student's 身分證號 (身分證).</summary>
    [JsonPropertyName("身分證")]
    public required string NationalId { get; init; }

    /// <summary>Gets the 23-character course code (課程代碼).</summary>
    [JsonPropertyName("課程代碼")]
    public required string CourseCode { get; init; }

    /// <summary>Gets whether it is a 借讀 course outcome (是否為借讀生時的課程學習成果).</summary>
    [JsonPropertyName("是否為借讀生時的課程學習成果")]
    public bool IsVisiting { get; init; }

    /// <summary>Gets whether it is a 重修 course outcome (是否為重修時的課程學習成果).</summary>
    [JsonPropertyName("是否為重修時的課程學習成果")]
    public bool IsRetake { get; init; }

    /// <summary>Gets whether it is a 補修 course outcome (是否為補修時的課程學習成果).</summary>
    [JsonPropertyName("是否為補修時的課程學習成果")]
    public bool IsMakeup { get; init; }

    /// <summary>Gets whether it is a 重讀 course outcome (是否為重讀時的課程學習成果).</summary>
    [JsonPropertyName("是否為重讀時的課程學習成果")]
    public bool IsRepeatYear { get; init; }

    /// <summary>Gets whether it is from before a transfer of school or department (是否為轉學轉科前的課程學習成果).</summary>
    [JsonPropertyName("是否為轉學轉科前的課程學習成果")]
    public bool IsBeforeTransfer { get; init; }

    /// <summary>Gets the zip entry of the document file (課程學習成果文件檔案連結), or <see langword="null"/>.</summary>
    [JsonPropertyName("課程學習成果文件檔案連結")]
    public string? DocumentLink { get; init; }

    /// <summary>Gets the MD5 of the document file (文件檔案MD5), 32 hexadecimal digits.</summary>
    [JsonPropertyName("文件檔案MD5")]
    public string? DocumentMd5 { get; init; }

    /// <summary>Gets the zip entry of the audio or video file (課程學習成果影音檔案連結), or <see langword="null"/>.</summary>
    [JsonPropertyName("課程學習成果影音檔案連結")]
    public string? MediaLink { get; init; }

    /// <summary>Gets the MD5 of the audio or video file (影音檔案MD5).</summary>
    [JsonPropertyName("影音檔案MD5")]
    public string? MediaMd5 { get; init; }

    /// <summary>Gets further files (附加檔案; this SDK's addition, for items holding more than one document or medium).</summary>
    [JsonPropertyName("附加檔案")]
    public IReadOnlyList<TransferFile> MoreFiles { get; init; } = [];

    /// <summary>Gets the 簡述 (課程學習成果簡述).</summary>
    [JsonPropertyName("課程學習成果簡述")]
    public required string Summary { get; init; }

    /// <summary>Gets the certification state (認證狀態): 未送審, 待認證, 認證通過 or 認證不通過.</summary>
    [JsonPropertyName("認證狀態")]
    public required string CertificationState { get; init; }

    /// <summary>Gets the reason of a 認證不通過 (認證說明), or <see langword="null"/>.</summary>
    [JsonPropertyName("認證說明")]
    public string? CertificationNote { get; init; }

    /// <summary>Gets the submission it was sent to the central database in (提交紀錄(學年度及學期), e.g. <c>113-0</c>), or <see langword="null"/>.</summary>
    [JsonPropertyName("提交紀錄(學年度及學期)")]
    public string? Submitted { get; init; }

    /// <summary>Returns the course and term with the ID masked and no 簡述.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"TransferCourseOutcome {{ SchoolCode = {SchoolCode}, Term = {SchoolYear}-{Term}, CourseCode = {CourseCode}, NationalId = {Privacy.Redaction.MaskIdentifier(NationalId)} }}";
}

/// <summary>One 多元表現 (or school-entered cadre record) of a transfer package.</summary>
public sealed record TransferPerformance
{
    /// <summary>Gets the code of the school the record was made at (就讀學校代碼).</summary>
    [JsonPropertyName("就讀學校代碼")]
    public required string SchoolCode { get; init; }

    /// <summary>Gets the student's 身分證號 (身分證).</summary>
    [JsonPropertyName("身分證")]
    public required string NationalId { get; init; }

    /// <summary>Gets the date the performance happened or started, <c>yyyy-MM-dd</c> (日期).</summary>
    [JsonPropertyName("日期")]
    public required string Date { get; init; }

    /// <summary>Gets the 內容簡述, or <see langword="null"/>.</summary>
    [JsonPropertyName("內容簡述")]
    public string? Summary { get; init; }

    /// <summary>Gets the category's own fields (類別欄位: the roster row of the category, e.g. 競賽名稱, 競賽等級代碼), an object, or <see langword="null"/>.</summary>
    [JsonPropertyName("類別欄位")]
    public JsonElement? Fields { get; init; }

    /// <summary>Gets the zip entry of the proof document (證明文件連結), or <see langword="null"/>.</summary>
    [JsonPropertyName("證明文件連結")]
    public string? DocumentLink { get; init; }

    /// <summary>Gets the MD5 of the proof document (證明文件MD5).</summary>
    [JsonPropertyName("證明文件MD5")]
    public string? DocumentMd5 { get; init; }

    /// <summary>Gets the zip entry of the audio or video file (影音檔案連結), or <see langword="null"/>.</summary>
    [JsonPropertyName("影音檔案連結")]
    public string? MediaLink { get; init; }

    /// <summary>Gets the MD5 of the audio or video file (影音檔案MD5).</summary>
    [JsonPropertyName("影音檔案MD5")]
    public string? MediaMd5 { get; init; }

    /// <summary>Gets further files (附加檔案; this SDK's addition).</summary>
    [JsonPropertyName("附加檔案")]
    public IReadOnlyList<TransferFile> MoreFiles { get; init; } = [];

    /// <summary>Gets the submission it was sent to the central database in (提交紀錄(學年度及學期), e.g. <c>113-0</c>), or <see langword="null"/>.</summary>
    [JsonPropertyName("提交紀錄(學年度及學期)")]
    public string? Submitted { get; init; }

    /// <summary>Returns the school and date with the ID masked and no content.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"TransferPerformance {{ SchoolCode = {SchoolCode}, Date = {Date}, NationalId = {Privacy.Redaction.MaskIdentifier(NationalId)} }}";
}

/// <summary>A file of a record: its zip entry and MD5 (檔案連結, 檔案MD5).</summary>
public sealed record TransferFile
{
    /// <summary>Gets the zip entry (檔案連結).</summary>
    [JsonPropertyName("檔案連結")]
    public required string Link { get; init; }

    /// <summary>Gets the MD5, 32 hexadecimal digits (檔案MD5).</summary>
    [JsonPropertyName("檔案MD5")]
    public required string Md5 { get; init; }
}

/// <summary>The student's 多元表現 by category, as the ten keys of the exchange format (多元表現).</summary>
public sealed record TransferPerformances
{
    /// <summary>Gets 幹部經歷暨事蹟紀錄.</summary>
    [JsonPropertyName("幹部經歷暨事蹟紀錄")]
    public IReadOnlyList<TransferPerformance> Cadre { get; init; } = [];

    /// <summary>Gets 競賽參與紀錄.</summary>
    [JsonPropertyName("競賽參與紀錄")]
    public IReadOnlyList<TransferPerformance> Competition { get; init; } = [];

    /// <summary>Gets 服務學習紀錄.</summary>
    [JsonPropertyName("服務學習紀錄")]
    public IReadOnlyList<TransferPerformance> Service { get; init; } = [];

    /// <summary>Gets 團體活動時間紀錄.</summary>
    [JsonPropertyName("團體活動時間紀錄")]
    public IReadOnlyList<TransferPerformance> GroupActivity { get; init; } = [];

    /// <summary>Gets 其他多元表現.</summary>
    [JsonPropertyName("其他多元表現")]
    public IReadOnlyList<TransferPerformance> Other { get; init; } = [];

    /// <summary>Gets 檢定證照紀錄.</summary>
    [JsonPropertyName("檢定證照紀錄")]
    public IReadOnlyList<TransferPerformance> Certificate { get; init; } = [];

    /// <summary>Gets 彈性學習時間紀錄.</summary>
    [JsonPropertyName("彈性學習時間紀錄")]
    public IReadOnlyList<TransferPerformance> Flexible { get; init; } = [];

    /// <summary>Gets 職場學習紀錄.</summary>
    [JsonPropertyName("職場學習紀錄")]
    public IReadOnlyList<TransferPerformance> Workplace { get; init; } = [];

    /// <summary>Gets 作品成果紀錄.</summary>
    [JsonPropertyName("作品成果紀錄")]
    public IReadOnlyList<TransferPerformance> Work { get; init; } = [];

    /// <summary>Gets 大學及技專校院先修課程紀錄.</summary>
    [JsonPropertyName("大學及技專校院先修課程紀錄")]
    public IReadOnlyList<TransferPerformance> PreCollege { get; init; } = [];

    /// <summary>
    /// The ten categories in the format's order: the JSON key, the roster sheet identifier the module stores
    /// (<c>performance-competition</c> …), and the records.
    /// </summary>
    /// <returns>The categories.</returns>
    public IEnumerable<(string Key, string Category, IReadOnlyList<TransferPerformance> Records)> ByCategory()
    {
        yield return (TransferCategories.Keys[0].Key, TransferCategories.Keys[0].Category, Cadre);
        yield return (TransferCategories.Keys[1].Key, TransferCategories.Keys[1].Category, Competition);
        yield return (TransferCategories.Keys[2].Key, TransferCategories.Keys[2].Category, Service);
        yield return (TransferCategories.Keys[3].Key, TransferCategories.Keys[3].Category, GroupActivity);
        yield return (TransferCategories.Keys[4].Key, TransferCategories.Keys[4].Category, Other);
        yield return (TransferCategories.Keys[5].Key, TransferCategories.Keys[5].Category, Certificate);
        yield return (TransferCategories.Keys[6].Key, TransferCategories.Keys[6].Category, Flexible);
        yield return (TransferCategories.Keys[7].Key, TransferCategories.Keys[7].Category, Workplace);
        yield return (TransferCategories.Keys[8].Key, TransferCategories.Keys[8].Category, Work);
        yield return (TransferCategories.Keys[9].Key, TransferCategories.Keys[9].Category, PreCollege);
    }

    /// <summary>Builds the categories from records keyed by roster sheet identifier; other identifiers are ignored.</summary>
    /// <param name="byCategory">The records by roster sheet identifier (<c>performance-competition</c> …).</param>
    /// <returns>The categories.</returns>
    public static TransferPerformances From(IReadOnlyDictionary<string, IReadOnlyList<TransferPerformance>> byCategory)
    {
        ArgumentNullException.ThrowIfNull(byCategory);
        IReadOnlyList<TransferPerformance> Of(int i) => byCategory.TryGetValue(TransferCategories.Keys[i].Category, out var records) ? records : [];
        return new TransferPerformances
        {
            Cadre = Of(0), Competition = Of(1), Service = Of(2), GroupActivity = Of(3), Other = Of(4),
            Certificate = Of(5), Flexible = Of(6), Workplace = Of(7), Work = Of(8), PreCollege = Of(9),
        };
    }
}

/// <summary>The ten 多元表現 categories of the exchange format and the roster sheets the module stores them as.</summary>
public static class TransferCategories
{
    /// <summary>The roster sheet identifier of a school-entered cadre record (擔任學校幹部經歷紀錄) once imported.</summary>
    public const string SchoolCadreCategory = "performance-cadre";

    /// <summary>Gets the ten categories: the JSON key under <c>多元表現</c> and the roster sheet identifier.</summary>
    public static IReadOnlyList<(string Key, string Category)> Keys { get; } =
    [
        ("幹部經歷暨事蹟紀錄", "performance-cadre"),
        ("競賽參與紀錄", "performance-competition"),
        ("服務學習紀錄", "performance-service"),
        ("團體活動時間紀錄", "performance-group-activity"),
        ("其他多元表現", "performance-other"),
        ("檢定證照紀錄", "performance-certificate"),
        ("彈性學習時間紀錄", "performance-flexible"),
        ("職場學習紀錄", "performance-workplace"),
        ("作品成果紀錄", "performance-work"),
        ("大學及技專校院先修課程紀錄", "performance-precollege"),
    ];

    /// <summary>Whether a roster sheet identifier is one of the ten categories.</summary>
    /// <param name="category">The identifier.</param>
    /// <returns><see langword="true"/> when the format has a key for it.</returns>
    public static bool IsExchanged(string category) => Keys.Any(k => string.Equals(k.Category, category, StringComparison.Ordinal));
}
