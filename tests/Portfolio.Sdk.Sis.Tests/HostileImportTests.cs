using System.Globalization;
using System.IO.Compression;
using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Import;

using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>Hostile import files made at run time: fuzzed workbooks, DTDs, bombs, endless CSV fields.</summary>
public sealed class HostileImportTests
{
    private static readonly RosterCover Cover = new(SchoolCode.Parse("060322"), new SchoolYear(113), Term.First);
    private static readonly RosterSheetLayout Cadres = RosterCatalogue.Default["cadre"].FindSheet("cadre-records")!.LayoutFor(new SchoolYear(113));

    private static Task<BulkImportResult> ImportAsync(Stream file, InputLimits? limits = null) =>
        new BulkImporter(Cadres, Cover, new InMemoryImportLedger(), limits: limits).ImportAsync(file, "f", (_, _) => ValueTask.CompletedTask, cancellationToken: TestContext.Current.CancellationToken);

    internal static byte[] CadreWorkbook(int rows = 3)
    {
        var stream = new MemoryStream();
        using (var writer = RosterWorkbookWriter.Create(stream, RosterCatalogue.Default["cadre"], Cover))
        {
            using var sheet = writer.BeginSheet("cadre-records");
            for (var i = 0; i < rows; i++)
            {
                sheet.WriteRow(["A123456789", "2008/05/13", "10" + i.ToString(CultureInfo.InvariantCulture) + "班", "113/09/01", null, "班長", "2"]);
            }
        }

        return stream.ToArray();
    }

    // Rewrites every XML part of a workbook through `mutate`.
    internal static byte[] MutateXml(byte[] workbook, Func<string, string, string> mutate)
    {
        var output = new MemoryStream();
        using (var from = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var to = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in from.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(to.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                writer.Write(entry.FullName.EndsWith(".xml", StringComparison.Ordinal) || entry.FullName.EndsWith(".rels", StringComparison.Ordinal) ? mutate(entry.FullName, text) : text);
            }
        }

        return output.ToArray();
    }

    // Mutations of a workbook: flipped bytes anywhere, and XML parts cut, doubled, given a DTD or stray markup.
    internal static IEnumerable<byte[]> FuzzCorpus(byte[] workbook, int count, int seed)
    {
        var random = new Random(seed);
        string[] inserts = ["<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "&e;", "<", "]]>", "<c r=\"ZZZZZ9\" t=\"s\"><v>999999</v></c>", "<row r=\"-1\">", "\u0000", "<v>", "</sheetData>", "<is><t>x</t></is>", "<c t=\"inlineStr\">"];
        for (var i = 0; i < count; i++)
        {
            switch (i % 3)
            {
                case 0:
                    var bytes = (byte[])workbook.Clone();
                    for (var flips = random.Next(1, 8); flips > 0; flips--)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }

                    yield return bytes;
                    break;
                default:
                    var target = random.Next(6);
                    var n = 0;
                    yield return MutateXml(workbook, (_, text) =>
                    {
                        if (n++ != target || text.Length == 0)
                        {
                            return text;
                        }

                        var at = random.Next(text.Length);
                        return random.Next(3) switch
                        {
                            0 => text[..at],
                            1 => text[..at] + inserts[random.Next(inserts.Length)] + text[at..],
                            _ => inserts[0] + text,
                        };
                    });
                    break;
            }
        }
    }

    [Fact]
    public async Task FuzzedWorkbooks_NeverThrow_FromOpenOrRows()
    {
        var workbook = CadreWorkbook();
        var count = 0;
        foreach (var file in FuzzCorpus(workbook, 300, 16))
        {
            var result = await ImportAsync(new MemoryStream(file));
            result.ShouldNotBeNull();
            var opened = TabularReader.Open(new MemoryStream(file));
            if (opened.Success)
            {
                using var reader = opened.Value!;
                _ = reader.ReadRows().Count();
            }

            count++;
        }

        count.ShouldBe(300);
    }

    internal static string WithDtd(string xml)
    {
        var end = xml.StartsWith("<?xml", StringComparison.Ordinal) ? xml.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        return xml[..end] + "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>" + xml[end..];
    }

    [Fact]
    public async Task AWorkbookWithADtd_IsADiagnostic()
    {
        var workbook = MutateXml(CadreWorkbook(), (name, text) => name.Contains("worksheets/sheet", StringComparison.Ordinal)
            ? WithDtd(text) : text);

        var result = await ImportAsync(new MemoryStream(workbook));

        result.Imported.ShouldBe(0, string.Join("\n", result.Diagnostics));
        result.Diagnostics.ShouldContain(d => d.IsError && (d.Code == DiagnosticCodes.ImportFileUnreadable || d.Code == DiagnosticCodes.WorkbookUnreadable));
    }

    [Fact]
    public async Task AnUnterminatedHugeCsvField_IsADiagnostic_WithBoundedMemory()
    {
        var csv = new MemoryStream();
        csv.Write(Encoding.UTF8.GetBytes("身分證號,出生日期,單位名稱,開始日期,結束日期,擔任職務,幹部等級\r\nA123456789,2008/05/13,101班,113/09/01,,班長,2\r\nA123456789,\""));
        var chunk = Encoding.UTF8.GetBytes(new string('x', 1 << 20));
        for (var i = 0; i < 64; i++)
        {
            csv.Write(chunk);
        }

        csv.Position = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var result = await ImportAsync(csv);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        TestContext.Current.TestOutputHelper?.WriteLine($"64 MiB unterminated field: {allocated} bytes allocated");
        result.Imported.ShouldBe(1);
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.ImportQuoteUnterminated && d.Location!.Row == 3);
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InputLimitExceeded);
        allocated.ShouldBeLessThan(32L << 20, "a 64 MiB field must not be buffered");
    }

    [Fact]
    public async Task CsvRowsBeyondTheLimit_StopWithADiagnostic()
    {
        var csv = new StringBuilder("身分證號,出生日期,單位名稱,開始日期,結束日期,擔任職務,幹部等級\r\n");
        for (var i = 0; i < 50; i++)
        {
            csv.Append("A123456789,2008/05/13,").Append(i).Append("班,113/09/01,,班長,2\r\n");
        }

        var result = await ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), InputLimits.Default with { MaxRows = 20 });

        result.Imported.ShouldBe(19);
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InputLimitExceeded);
    }

    [Fact]
    public async Task ALegacyXlsLargerThanTheEntryLimit_IsRefusedBeforeItIsRead()
    {
        var xls = File.ReadAllBytes(RepositoryPaths.Combine("tests", "Portfolio.Sdk.Sis.Tests", "Fixtures", "cadres.xls"));

        var refused = await ImportAsync(new MemoryStream(xls), InputLimits.Default with { MaxEntryBytes = xls.Length - 1 });
        var read = await ImportAsync(new MemoryStream(xls), InputLimits.Default with { MaxEntryBytes = xls.Length });

        refused.Imported.ShouldBe(0);
        refused.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InputLimitExceeded && d.MessageEnglish.Contains(".xls", StringComparison.Ordinal));
        read.Imported.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task AZipBombImportFile_IsRefused()
    {
        var workbook = CadreWorkbook();
        var output = new MemoryStream();
        using (var from = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var to = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in from.Entries)
            {
                using var target = to.CreateEntry(entry.FullName).Open();
                using (var source = entry.Open())
                {
                    source.CopyTo(target);
                }

                if (entry.FullName.Contains("worksheets/sheet", StringComparison.Ordinal))
                {
                    var spaces = new byte[1 << 20];
                    spaces.AsSpan().Fill((byte)' ');
                    for (var i = 0; i < 600; i++)
                    {
                        target.Write(spaces);
                    }
                }
            }
        }

        output.Position = 0;
        var result = await ImportAsync(output);

        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.InputLimitExceeded);
        result.Imported.ShouldBe(0);
    }
}
