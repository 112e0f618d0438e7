using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using NJsonSchema;
using NJsonSchema.Generation;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Transfer;

namespace Portfolio.Sdk.Tests.Transfer;

/// <summary>The transfer package (歷程交換檔): the format as written and read, and everything a hostile or broken package can hold.</summary>
public sealed class TransferPackageTests
{
    public const string Id = "A123456789";
    public const string OtherId = "B123456780";
    private const string Course = "113060322H1110101010101";
    private static readonly byte[] PdfBytes = Encoding.ASCII.GetBytes("%PDF-1.4\n% proof\n%%EOF\n");
    private static readonly byte[] Mp3Bytes = [.. "ID3"u8.ToArray(), 3, 0, 0, 0, 0, 0, 1, 2, 3];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

#pragma warning disable CA5351 // The exchange format's own checksum, as the package declares it.
    internal static string Md5(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351

    internal static string Link(byte[] content, string ext) => $"files/{Md5(content)}.{ext}";

    internal static TransferDocument Sample(string id = Id) => new()
    {
        Student = new TransferStudent
        {
            SchoolCode = "193301", SchoolYear = 113, Term = 1, NationalId = id, Name = "王小明", BirthDate = "2007-05-01",
            Cadres = [new TransferPerformance { SchoolCode = "193301", NationalId = id, Date = "2024-09-01", Fields = JsonDocument.Parse("""{"單位名稱":"101","擔任職務":"班長"}""").RootElement }],
        },
        CourseOutcomes =
        [
            new TransferCourseOutcome
            {
                SchoolCode = "193301", SchoolYear = 113, Term = 1, NationalId = id, CourseCode = Course, Summary = "函數圖形的探究報告",
                CertificationState = "認證通過", DocumentLink = Link(PdfBytes, "pdf"), DocumentMd5 = Md5(PdfBytes),
                MediaLink = Link(Mp3Bytes, "mp3"), MediaMd5 = Md5(Mp3Bytes), Submitted = "113-0",
            },
            new TransferCourseOutcome { SchoolCode = "193301", SchoolYear = 113, Term = 2, NationalId = id, CourseCode = Course, Summary = "第二學期", CertificationState = "未送審", IsRetake = true },
        ],
        Performances = new TransferPerformances
        {
            Competition = [new TransferPerformance { SchoolCode = "193301", NationalId = id, Date = "2024-09-20", Summary = "科展", DocumentLink = Link(PdfBytes, "pdf"), DocumentMd5 = Md5(PdfBytes) }],
        },
    };

    internal static (string, byte[])[] SampleFiles => [(Link(PdfBytes, "pdf"), PdfBytes), (Link(Mp3Bytes, "mp3"), Mp3Bytes)];

    internal static async Task<MemoryStream> WriteAsync(TransferDocument document, params (string Link, byte[] Content)[] files)
    {
        var output = new MemoryStream();
        await TransferPackage.WriteAsync(output, document, files.Select(f => new TransferPackageFile(f.Link, _ => Task.FromResult<Stream>(new MemoryStream(f.Content)))), Token);
        output.Position = 0;
        return output;
    }

    // A zip with exactly the entries given, in order (duplicates and hostile names included).
    internal static MemoryStream Zip(params (string Name, byte[] Content)[] entries)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        output.Position = 0;
        return output;
    }

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    private static byte[] Json(TransferDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, TransferPackage.SerializerOptions);

    private static async Task<TransferPackage> ReadAsync(Stream zip, InputLimits? limits = null) => await TransferPackage.ReadAsync(zip, limits, Token);

    private static void ShouldBalance(TransferPackage package) =>
        package.RecordsRead.ShouldBe(package.RecordsAccepted + package.RecordsLeftOut);

    [Fact]
    public async Task Written_ReadsBack_EveryRecordAccepted_AndTheSameContentGivesTheSameBytes()
    {
        using var first = await WriteAsync(Sample(), SampleFiles);
        using var second = await WriteAsync(Sample(), [.. SampleFiles.Reverse()]);
        first.ToArray().ShouldBe(second.ToArray());

        using var package = await ReadAsync(first);
        package.IsReadable.ShouldBeTrue(string.Join("\n", package.AllDiagnostics));
        package.AllDiagnostics.Where(d => d.IsError).ShouldBeEmpty();
        package.RecordsRead.ShouldBe(4);
        package.RecordsAccepted.ShouldBe(4);
        package.Records.Select(r => r.Path).ShouldBe(["基本資料.擔任學校幹部經歷紀錄[0]", "課程學習成果紀錄[0]", "課程學習成果紀錄[1]", "多元表現.競賽參與紀錄[0]"]);
        package.Records[1].Files.Select(f => f.Link).ShouldBe([Link(PdfBytes, "pdf"), Link(Mp3Bytes, "mp3")]);
        await using var file = await package.OpenFileAsync(Link(Mp3Bytes, "mp3"), Token);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, Token);
        copy.ToArray().ShouldBe(Mp3Bytes);
        JsonSerializer.Serialize(package.Document, TransferPackage.SerializerOptions).ShouldBe(JsonSerializer.Serialize(Sample(), TransferPackage.SerializerOptions));
    }

    [Fact]
    public async Task TheJson_HasTheFormatsRootKeys_InChinese()
    {
        using var zip = await WriteAsync(Sample(), SampleFiles);
        using var archive = new ZipArchive(zip);
        archive.Entries.Select(e => e.FullName).ShouldBe([TransferPackage.DocumentEntry, .. SampleFiles.Select(f => f.Item1).Order(StringComparer.Ordinal)]);
        archive.Entries.ShouldAllBe(e => e.LastWriteTime.Year == 1980);
        using var reader = new StreamReader(archive.GetEntry(TransferPackage.DocumentEntry)!.Open());
        var root = JsonNode.Parse(await reader.ReadToEndAsync(Token))!.AsObject();
        root.Select(p => p.Key).ShouldBe(["基本資料", "課程學習成果紀錄", "多元表現"]);
        root["多元表現"]!.AsObject().Select(p => p.Key).ShouldBe(TransferCategories.Keys.Select(k => k.Key));
    }

    [Theory]
    [InlineData("""{"基本資料":{"就讀學校代碼":"193301","學年度":113,"學期":1,"國民身分證統一編號(或居留證統一證號)":"A123456789","學生中文姓名":"王","學生出生年月日":"2007-05-01","班級":"101"}}""", "基本資料.班級")]
    [InlineData("""{"基本資料":{"就讀學校代碼":"193301","學年度":113,"學期":1,"國民身分證統一編號(或居留證統一證號)":"A123456789","學生中文姓名":"王","學生出生年月日":"2007-05-01"},"多元表現":{"競賽紀錄":[]}}""", "多元表現.競賽紀錄")]
    [InlineData("""{"基本資料":{"就讀學校代碼":"193301","學年度":113,"學期":1,"國民身分證統一編號(或居留證統一證號)":"A123456789","學生中文姓名":"王","學生出生年月日":"2007-05-01"},"課程學習成果紀錄":[{"x":1}]}""", "課程學習成果紀錄[0].x")]
    [InlineData("""{"$schema":"x","基本資料":{}}""", "$schema")]
    public async Task UnknownKeys_AreRefused_WithTheirPath(string json, string path)
    {
        using var package = await ReadAsync(Zip((TransferPackage.DocumentEntry, Json(json))));
        package.IsReadable.ShouldBeFalse();
        var unknown = package.Diagnostics.ShouldHaveSingleItem();
        unknown.Code.ShouldBe(DiagnosticCodes.TransferJsonUnknownKey);
        unknown.Location!.Path.ShouldBe(path);
    }

    [Theory]
    [InlineData("""{"基本資料":{"就讀學校代碼":"193301","學年度":"113","學期":1,"國民身分證統一編號(或居留證統一證號)":"A123456789","學生中文姓名":"王","學生出生年月日":"2007-05-01"}}""", "$.基本資料.學年度")]
    [InlineData("""{"基本資料":{"就讀學校代碼":"193301","學年度":113,"學期":1,"國民身分證統一編號(或居留證統一證號)":"A123456789","學生中文姓名":null,"學生出生年月日":"2007-05-01"}}""", "$.基本資料.學生中文姓名")]
    [InlineData("""{"課程學習成果紀錄":[]}""", "$")]
    [InlineData("""{"基本資料":{"就讀學校代碼":"193301","學年度":113,"學期":1,"學年度":113,"國民身分證統一編號(或居留證統一證號)":"A123456789","學生中文姓名":"王","學生出生年月日":"2007-05-01"}}""", null)]
    [InlineData("""{"基本資料": """, null)]
    [InlineData("""[1,2]""", "$")]
    public async Task WrongTypes_MissingKeys_NullsAndBrokenJson_AreRefused(string json, string? path)
    {
        using var package = await ReadAsync(Zip((TransferPackage.DocumentEntry, Json(json))));
        package.IsReadable.ShouldBeFalse();
        var problem = package.Diagnostics.ShouldHaveSingleItem();
        problem.Code.ShouldBe(DiagnosticCodes.TransferJsonInvalid, problem.ToString());
        if (path is not null)
        {
            problem.Location!.Path.ShouldBe(path);
        }

        problem.ToString().ShouldNotContain(Id);
    }

    [Fact]
    public async Task BadRecords_AreLeftOut_EachWithADiagnosticAtItsPath_TheRestAccepted()
    {
        var good = Sample();
        var outcomes = good.CourseOutcomes.ToList();
        outcomes.Add(outcomes[1] with { NationalId = "A123456788" });                                    // check digit
        outcomes.Add(outcomes[1] with { CourseCode = "113060322H11101010101" });                        // 21 characters
        outcomes.Add(outcomes[1] with { NationalId = OtherId });                                         // another student
        outcomes.Add(outcomes[1] with { CertificationState = "通過" });                                   // not a state
        outcomes.Add(outcomes[1] with { DocumentLink = "files/missing.pdf", DocumentMd5 = Md5(PdfBytes) }); // no entry
        outcomes.Add(outcomes[1] with { DocumentLink = Link(PdfBytes, "pdf"), DocumentMd5 = Md5(Mp3Bytes) }); // MD5 differs
        outcomes.Add(outcomes[1] with { DocumentLink = "files/../../etc/passwd", DocumentMd5 = Md5(PdfBytes) });
        outcomes.Add(outcomes[1] with { DocumentLink = "/etc/passwd", DocumentMd5 = Md5(PdfBytes) });
        outcomes.Add(outcomes[1] with { DocumentLink = Link(PdfBytes, "pdf") });                         // MD5 missing
        outcomes.Add(outcomes[1] with { IsRetake = true, IsMakeup = true });
        outcomes.Add(outcomes[1] with { Term = 3 });
        outcomes.Add(outcomes[1] with { Submitted = "113-1" });
        var performances = good.Performances with { Work = [good.Performances.Competition[0] with { Date = "2024/09/20" }, good.Performances.Competition[0] with { Fields = JsonDocument.Parse("[1]").RootElement }] };
        using var zip = await WriteAsync(good with { CourseOutcomes = outcomes, Performances = performances }, SampleFiles);

        using var package = await ReadAsync(zip);

        package.IsReadable.ShouldBeTrue(string.Join("\n", package.Diagnostics));
        ShouldBalance(package);
        package.RecordsAccepted.ShouldBe(4);
        var leftOut = package.Records.Where(r => !r.IsAccepted).ToList();
        leftOut.Count.ShouldBe(14);
        var codes = leftOut.Select(r => (r.Path, r.Problems.First(p => p.IsError).Code, r.Problems.First(p => p.IsError).Location!.Path)).ToList();
        codes.ShouldBe(
        [
            ("課程學習成果紀錄[2]", DiagnosticCodes.NationalIdCheckDigit, "課程學習成果紀錄[2].身分證"),
            ("課程學習成果紀錄[3]", DiagnosticCodes.CourseCodeLength, "課程學習成果紀錄[3].課程代碼"),
            ("課程學習成果紀錄[4]", DiagnosticCodes.TransferOtherStudent, "課程學習成果紀錄[4].身分證"),
            ("課程學習成果紀錄[5]", DiagnosticCodes.TransferValueInvalid, "課程學習成果紀錄[5].認證狀態"),
            ("課程學習成果紀錄[6]", DiagnosticCodes.TransferFileMissing, "課程學習成果紀錄[6].課程學習成果文件檔案連結"),
            ("課程學習成果紀錄[7]", DiagnosticCodes.TransferFileMd5Mismatch, "課程學習成果紀錄[7].文件檔案MD5"),
            ("課程學習成果紀錄[8]", DiagnosticCodes.TransferFileLinkUnsafe, "課程學習成果紀錄[8].課程學習成果文件檔案連結"),
            ("課程學習成果紀錄[9]", DiagnosticCodes.TransferFileLinkUnsafe, "課程學習成果紀錄[9].課程學習成果文件檔案連結"),
            ("課程學習成果紀錄[10]", DiagnosticCodes.TransferValueRequired, "課程學習成果紀錄[10].文件檔案MD5"),
            ("課程學習成果紀錄[11]", DiagnosticCodes.TransferValueInvalid, "課程學習成果紀錄[11].是否為重修時的課程學習成果"),
            ("課程學習成果紀錄[12]", DiagnosticCodes.TransferValueInvalid, "課程學習成果紀錄[12].應修課學期"),
            ("課程學習成果紀錄[13]", DiagnosticCodes.TransferValueInvalid, "課程學習成果紀錄[13].提交紀錄(學年度及學期)"),
            ("多元表現.作品成果紀錄[0]", DiagnosticCodes.TransferValueInvalid, "多元表現.作品成果紀錄[0].日期"),
            ("多元表現.作品成果紀錄[1]", DiagnosticCodes.TransferValueInvalid, "多元表現.作品成果紀錄[1].類別欄位"),
        ]);
        package.AllDiagnostics.ShouldAllBe(d => !d.Message.Contains(OtherId) && !d.MessageEnglish.Contains(OtherId) && !d.Message.Contains(Id));
    }

    [Fact]
    public async Task AStudentWithABadId_OrNoName_IsRefusedWhole()
    {
        var bad = Sample() with { Student = Sample().Student with { NationalId = "A12345678", Name = " ", BirthDate = "2007-13-01" } };
        using var package = await ReadAsync(await WriteAsync(bad, SampleFiles));
        package.IsReadable.ShouldBeFalse();
        package.Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.NationalIdLength, DiagnosticCodes.TransferValueRequired, DiagnosticCodes.TransferValueInvalid]);
        package.Diagnostics.ShouldAllBe(d => !d.Message.Contains("2007-13-01"));
    }

    [Fact]
    public async Task AFileNoRecordRefersTo_IsReported_AndNotImported()
    {
        using var package = await ReadAsync(await WriteAsync(Sample(), [.. SampleFiles, ("files/stray.bin", [1, 2, 3])]));
        package.IsReadable.ShouldBeTrue();
        var stray = package.Diagnostics.ShouldHaveSingleItem();
        stray.Code.ShouldBe(DiagnosticCodes.TransferFileUnreferenced);
        stray.Location!.Path.ShouldBe("files/stray.bin");
    }

    [Fact]
    public async Task ZipSlip_AbsoluteNames_AndDuplicates_AreRefusedBeforeAnythingIsRead()
    {
        var json = Json(Sample());
        foreach (var (name, code) in new[] { ("../evil.pdf", DiagnosticCodes.ZipEntryNameUnsafe), ("/etc/cron.d/x", DiagnosticCodes.ZipEntryNameUnsafe), ("files\\..\\x", DiagnosticCodes.ZipEntryNameUnsafe), ("C:/x", DiagnosticCodes.ZipEntryNameUnsafe), (TransferPackage.DocumentEntry, DiagnosticCodes.ZipEntryDuplicate) })
        {
            using var package = await ReadAsync(Zip((TransferPackage.DocumentEntry, json), (name, PdfBytes)));
            package.IsReadable.ShouldBeFalse(name);
            package.Document.ShouldBeNull();
            package.Diagnostics.ShouldContain(d => d.Code == code, name);
        }
    }

    [Fact]
    public async Task AZipBomb_IsRefusedFromItsDirectory_WithoutInflating()
    {
        var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry(TransferPackage.DocumentEntry).Open().Dispose();
            using var stream = zip.CreateEntry("files/zeros", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                stream.Write(zeros);
            }
        }

        bomb.Position = 0;
        using var package = await ReadAsync(bomb, InputLimits.Default with { MaxEntryBytes = 16L << 20 });
        package.IsReadable.ShouldBeFalse();
        package.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InputLimitExceeded);

        bomb.Position = 0;
        using var ratio = await ReadAsync(bomb);
        ratio.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InputLimitExceeded);
    }

    [Fact]
    public async Task TooManyRecords_AreRefused()
    {
        using var package = await ReadAsync(await WriteAsync(Sample(), SampleFiles), InputLimits.Default with { MaxRows = 3 });
        package.IsReadable.ShouldBeFalse();
        package.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.TransferTooManyRecords);
    }

    [Fact]
    public async Task NotAZip_AnEmptyFile_AndAZipWithoutTheDocument_AreRefused()
    {
        using (var package = await ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes("not a zip at all"))))
        {
            package.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.TransferPackageUnreadable);
        }

        using (var package = await ReadAsync(new MemoryStream()))
        {
            package.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.TransferPackageUnreadable);
        }

        using (var package = await ReadAsync(Zip(("other.json", Json(Sample())))))
        {
            package.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.TransferDocumentMissing);
        }
    }

    // ---------------------------------------------------------------- fuzz: never an exception, always an account

    private static async Task<bool> NeverThrows(byte[] bytes)
    {
        using var package = await TransferPackage.ReadAsync(new MemoryStream(bytes), null, Token);
        ShouldBalance(package);
        if (!package.IsReadable)
        {
            package.Diagnostics.ShouldContain(d => d.IsError);
            package.Records.ShouldBeEmpty();
        }

        foreach (var record in package.Records.Where(r => !r.IsAccepted))
        {
            record.Problems.ShouldContain(p => p.IsError && p.Location != null && p.Location.Path!.StartsWith(record.Path, StringComparison.Ordinal));
        }

        return true;
    }

    [Fact]
    public void Fuzz_RandomBytes_NeverThrow()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => Task.Run(() => NeverThrows(bytes), Token).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public async Task Fuzz_TruncatedAndCorruptedZips_NeverThrow()
    {
        using var zip = await WriteAsync(Sample(), SampleFiles);
        var bytes = zip.ToArray();
        var cuts = Gen.Choose(0, bytes.Length - 1);
        var flips = Gen.Choose(0, bytes.Length - 1).Zip(Gen.Choose(1, 255)).ListOf();
        Prop.ForAll(cuts.ToArbitrary(), flips.ToArbitrary(), (cut, damage) =>
        {
            Task.Run(() => NeverThrows(bytes[..cut]), Token).GetAwaiter().GetResult();
            var corrupt = (byte[])bytes.Clone();
            foreach (var (at, xor) in damage.Take(8))
            {
                corrupt[at] ^= (byte)xor;
            }

            return Task.Run(() => NeverThrows(corrupt), Token).GetAwaiter().GetResult();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Fuzz_MutatedJson_NeverThrows_AndBadValuesAreDiagnosed()
    {
        var original = JsonNode.Parse(Json(Sample()))!;
        var leaves = new List<string>();
        Collect(original, "", leaves);
        JsonNode?[] replacements = [null, JsonValue.Create(""), JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create("../../x"), JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(new string('字', 5000)), JsonValue.Create("A123456789\u0000")];
        var mutation = Gen.Elements(leaves.ToArray()).Zip(Gen.Choose(0, replacements.Length - 1)).ListOf();
        Prop.ForAll(mutation.ToArbitrary(), mutations =>
        {
            var json = original.DeepClone();
            foreach (var (path, which) in mutations.Take(4))
            {
                Replace(json, path, replacements[which]?.DeepClone());
            }

            using var zip = Zip((TransferPackage.DocumentEntry, Encoding.UTF8.GetBytes(json.ToJsonString())), (Link(PdfBytes, "pdf"), PdfBytes), (Link(Mp3Bytes, "mp3"), Mp3Bytes));
            return Task.Run(() => NeverThrows(zip.ToArray()), Token).GetAwaiter().GetResult();
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

        static void Collect(JsonNode? node, string path, List<string> paths)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        paths.Add($"{path}/{key}");
                        Collect(value, $"{path}/{key}", paths);
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        paths.Add($"{path}/{i}");
                        Collect(a[i], $"{path}/{i}", paths);
                    }

                    break;
            }
        }

        static void Replace(JsonNode root, string path, JsonNode? value)
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var parent = root;
            foreach (var part in parts[..^1])
            {
                parent = parent is JsonArray pa && int.TryParse(part, out var pi) && pi < pa.Count ? pa[pi] : parent is JsonObject po ? po[part] : null;
                if (parent is null)
                {
                    return;
                }
            }

            switch (parent)
            {
                case JsonObject o:
                    o[parts[^1]] = value;
                    break;
                case JsonArray a when int.TryParse(parts[^1], out var i) && i < a.Count:
                    a[i] = value;
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- schema

    internal static JsonSchema Generated()
    {
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = new JsonSerializerOptions(TransferPackage.SerializerOptions),
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
            GenerateAbstractProperties = false,
            FlattenInheritanceHierarchy = true,
            AlwaysAllowAdditionalObjectProperties = false,
        };
        var schema = JsonSchema.FromType<TransferDocument>(settings);
        schema.Id = "https://portfolio-sdk.invalid/schemas/transfer/portfolio-transfer.schema.json";
        schema.Title = "Portfolio.Sdk transfer package document (歷程交換檔 portfolio.json)";
        schema.Description = "The JSON document of a transfer package, as TransferPackage writes and reads it: the layout of the vendor exchange format (research §3.9). Files are zip entries under files/, each named by a record's link with its MD5. Unknown keys are refused.";
        foreach (var part in schema.Definitions.Values.Append(schema))
        {
            part.AllowAdditionalProperties = false;
        }

        return schema;
    }

    [Fact]
    public void Schema_IsGeneratedFromTheCode_AndCheckedIn() => InputFileSchemas.CheckDrift(Generated(), "transfer", "portfolio-transfer.schema.json");

    [Fact]
    public async Task AWrittenDocument_ValidatesAgainstTheCheckedInSchema_AndAnUnknownKeyDoesNot()
    {
        var schema = await JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "transfer", "portfolio-transfer.schema.json"), Token);
        var json = Encoding.UTF8.GetString(Json(Sample()));
        schema.Validate(json).ShouldBeEmpty();
        var node = JsonNode.Parse(json)!;
        node["基本資料"]!["班級"] = "101";
        schema.Validate(node.ToJsonString()).ShouldNotBeEmpty();
    }
}
