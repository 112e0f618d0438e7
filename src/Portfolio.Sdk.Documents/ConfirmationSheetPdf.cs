using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Documents;

/// <summary>How 確認單 are printed.</summary>
public sealed record ConfirmationSheetOptions
{
    /// <summary>The font files tried, in order, when <see cref="FontPath"/> is not set: Debian's and Ubuntu's <c>fonts-noto-cjk</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultFontPaths =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    ];

    /// <summary>The default font family: 思源黑體 in its Traditional Chinese face.</summary>
    public const string DefaultFontFamily = "Noto Sans CJK TC";

    /// <summary>Gets the font file (TTF, OTF or TTC) the vendor supplies; <see cref="DefaultFontPaths"/> when <see langword="null"/>.</summary>
    /// <value>A path; <see langword="null"/> by default.</value>
    public string? FontPath { get; init; }

    /// <summary>Gets the family of the face to take from the font file (a TTC holds several).</summary>
    /// <value><see cref="DefaultFontFamily"/> by default; <see langword="null"/> takes the file's first face.</value>
    public string? FontFamily { get; init; } = DefaultFontFamily;

    /// <summary>Gets the school's name printed in the title.</summary>
    /// <value><see langword="null"/> by default (no name).</value>
    public string? SchoolName { get; init; }
}

/// <summary>
/// Renders 學習歷程確認單 as PDF (PDFsharp, A4, one sheet per student starting on a new page) with an embedded CJK font:
/// the school year, class and masked 身分證號, a table of the submitted items (類別, 名稱, 學期, 認證, 提交日期), and lines for
/// 學生簽名 / 家長簽名 / 日期. The same sheets printed on the same day give the same bytes (on machines in the same time zone, which
/// PDFsharp writes into the dates): the creation date is the print date, and the font subset tag, the document ID and
/// the XMP document and instance IDs PDFsharp draws at random are replaced by values derived from the content.
/// </summary>
public sealed partial class ConfirmationSheetPdf
{
    private const double Margin = 50;
    private const double PageWidth = 595.28;   // A4 in points
    private const double PageHeight = 841.89;
    private const double SignatureBlock = 110;
    private static readonly double[] ColumnWidths = [70, 215, 50, 65, 95.28];
    private static readonly string[] Headers = ["類別", "名稱", "學期", "認證", "提交日期"];
    private readonly ConfirmationSheetOptions _options;
    private readonly SchoolCalendar _calendar;
    private readonly Lazy<string> _family;

    /// <summary>Initializes the renderer.</summary>
    /// <param name="options">The font and school name; the defaults when <see langword="null"/>.</param>
    /// <param name="clock">The clock for the print date; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public ConfirmationSheetPdf(ConfirmationSheetOptions? options = null, TimeProvider? clock = null)
    {
        _options = options ?? new ConfirmationSheetOptions();
        _calendar = new SchoolCalendar(clock ?? TimeProvider.System);
        _family = new Lazy<string>(LoadFont, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Writes the sheets as one PDF document.</summary>
    /// <param name="sheets">The sheets (at least one).</param>
    /// <param name="output">Where the PDF goes.</param>
    /// <param name="cancellationToken">Cancels between sheets.</param>
    /// <returns>A task.</returns>
    /// <exception cref="PortfolioException">The font is missing or unreadable (PF6101), or has no face of the family (PF6102).</exception>
    public async Task WriteAsync(IReadOnlyList<ConfirmationSheet> sheets, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfZero(sheets.Count);
        var bytes = Render(sheets, cancellationToken);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    internal byte[] Render(IReadOnlyList<ConfirmationSheet> sheets, CancellationToken cancellationToken)
    {
        var family = _family.Value;
        var printed = _calendar.Today;
        using var document = new PdfDocument();
        document.Info.Title = $"{sheets[0].Year} 學年度學生學習歷程檔案確認單";
        document.Info.CreationDate = printed.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Unicode (Identity-H) for every string: PDFsharp would write an ASCII-only string in a WinAnsi simple font,
        // which a CFF-outline face (Noto CJK) cannot be.
        var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var fonts = new Fonts(new XFont(family, 16, XFontStyleEx.Regular, unicode), new XFont(family, 10, XFontStyleEx.Regular, unicode), new XFont(family, 9, XFontStyleEx.Regular, unicode));
        foreach (var sheet in sheets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DrawSheet(document, sheet, fonts, printed);
        }

        using var buffer = new MemoryStream();
        document.Save(buffer, closeStream: false);
        return Stabilize(buffer.ToArray());
    }

    private string LoadFont()
    {
        IReadOnlyList<string> paths = _options.FontPath is { } path ? [path] : ConfirmationSheetOptions.DefaultFontPaths;
        var found = paths.FirstOrDefault(File.Exists)
            ?? throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationSheetFontMissing, new DiagnosticLocation(Source: paths[0]), string.Join(", ", paths)));
        byte[] file;
        try
        {
            file = File.ReadAllBytes(found);
        }
        catch (IOException ex)
        {
            throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationSheetFontMissing, new DiagnosticLocation(Source: found), found), ex);
        }

        var face = CjkFont.ExtractFace(file, found, _options.FontFamily);

        // One family name per face, so that two renderers with different fonts never mix them up.
        var name = "PortfolioSdk-" + Convert.ToHexString(SHA256.HashData(face.AsSpan(0, Math.Min(face.Length, 1 << 16))))[..16];
        DocumentFontResolver.Installed.Register(name, face);
        return name;
    }

    private void DrawSheet(PdfDocument document, ConfirmationSheet sheet, Fonts fonts, DateOnly printed)
    {
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        var graphics = XGraphics.FromPdfPage(page);
        var y = DrawHeading(graphics, sheet, fonts, printed);
        y = DrawTableHeader(graphics, fonts, y);
        if (sheet.Items.Count == 0)
        {
            graphics.DrawString("（本學年度沒有勾選提交的項目 / nothing was submitted this school year）", fonts.Body, XBrushes.Black, new XPoint(Margin + 4, y + 14));
            y += 22;
        }

        foreach (var item in sheet.Items)
        {
            var cells = Cells(item);
            var lines = cells.Select((text, i) => Wrap(graphics, text, fonts.Small, ColumnWidths[i] - 8)).ToList();
            var height = (lines.Max(l => l.Count) * 12) + 8;
            if (y + height > PageHeight - Margin - SignatureBlock)
            {
                graphics.Dispose();
                page = document.AddPage();
                page.Width = XUnit.FromPoint(PageWidth);
                page.Height = XUnit.FromPoint(PageHeight);
                graphics = XGraphics.FromPdfPage(page);
                graphics.DrawString($"{sheet.MaskedStudentKey}（續 / continued）", fonts.Body, XBrushes.Black, new XPoint(Margin, Margin + 10));
                y = DrawTableHeader(graphics, fonts, Margin + 24);
            }

            var x = Margin;
            for (var i = 0; i < cells.Length; i++)
            {
                for (var l = 0; l < lines[i].Count; l++)
                {
                    graphics.DrawString(lines[i][l], fonts.Small, XBrushes.Black, new XPoint(x + 4, y + 13 + (l * 12)));
                }

                x += ColumnWidths[i];
            }

            y += height;
            graphics.DrawLine(XPens.Gray, Margin, y, PageWidth - Margin, y);
        }

        DrawSignatures(graphics, fonts, Math.Max(y + 30, PageHeight - Margin - SignatureBlock + 20));
        graphics.Dispose();
    }

    private double DrawHeading(XGraphics graphics, ConfirmationSheet sheet, Fonts fonts, DateOnly printed)
    {
        var title = $"{_options.SchoolName}{(string.IsNullOrWhiteSpace(_options.SchoolName) ? string.Empty : " ")}{sheet.Year} 學年度 學生學習歷程檔案確認單";
        graphics.DrawString(title, fonts.Title, XBrushes.Black, new XRect(Margin, Margin, PageWidth - (2 * Margin), 24), XStringFormats.TopCenter);
        var facts = string.Create(CultureInfo.InvariantCulture,
            $"班級：{sheet.ClassName ?? "—"}　　身分證號：{sheet.MaskedStudentKey}　　列印日期：{printed:yyyy-MM-dd}　　項目數：{sheet.Items.Count}");
        graphics.DrawString(facts, fonts.Body, XBrushes.Black, new XPoint(Margin, Margin + 44));
        graphics.DrawString("請核對下列已勾選並提交至學習歷程中央資料庫的項目；如有錯誤，請於學校公告的收訖確認期間內提出更正申請。", fonts.Small, XBrushes.Black, new XPoint(Margin, Margin + 62));
        return Margin + 74;
    }

    private static double DrawTableHeader(XGraphics graphics, Fonts fonts, double y)
    {
        graphics.DrawRectangle(XBrushes.LightGray, Margin, y, PageWidth - (2 * Margin), 18);
        var x = Margin;
        for (var i = 0; i < Headers.Length; i++)
        {
            graphics.DrawString(Headers[i], fonts.Body, XBrushes.Black, new XPoint(x + 4, y + 13));
            x += ColumnWidths[i];
        }

        return y + 18;
    }

    private static void DrawSignatures(XGraphics graphics, Fonts fonts, double y)
    {
        graphics.DrawString("以上資料經本人及家長確認無誤。", fonts.Body, XBrushes.Black, new XPoint(Margin, y));
        y += 40;
        var third = (PageWidth - (2 * Margin)) / 3;
        string[] labels = ["學生簽名：", "家長簽名：", "日期："];
        for (var i = 0; i < labels.Length; i++)
        {
            var x = Margin + (i * third);
            graphics.DrawString(labels[i], fonts.Body, XBrushes.Black, new XPoint(x, y));
            graphics.DrawLine(XPens.Black, x + (labels[i].Length * 10) + 2, y + 2, x + third - 12, y + 2);
        }
    }

    private static string[] Cells(ConfirmationItem item) =>
    [
        item.Kind == ConfirmationItemKind.CourseOutcome ? "課程學習成果" : "多元表現",
        $"{item.Title}\n{item.Category}",
        item.Term,
        item.Certification is { } state ? PortfolioDisplayNames.Of(state).Chinese : "免認證",
        item.SubmittedOn is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "未提交",
    ];

    // Breaks text into lines that fit the width, at any character (Chinese has no spaces); at most 6 lines.
    private static List<string> Wrap(XGraphics graphics, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var rune in paragraph.EnumerateRunes())
            {
                var next = line.ToString() + rune;
                if (line.Length > 0 && graphics.MeasureString(next, font).Width > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                line.Append(rune.ToString());
            }

            lines.Add(line.ToString());
        }

        return lines.Count <= 6 ? lines : [.. lines.Take(5), lines[5] + "…"];
    }

    // PDFsharp draws the font subset tag and the document ID at random: derive both from the content instead. Both keep
    // their length, so the cross-reference offsets stay right.
    private static byte[] Stabilize(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var tags = SubsetTag().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < tags.Count; i++)
        {
            var stable = string.Concat(SHA256.HashData(Encoding.ASCII.GetBytes("portfolio-font-" + i.ToString(CultureInfo.InvariantCulture))).Take(6).Select(b => (char)('A' + (b % 26))));
            text = text.Replace("/" + tags[i] + "+", "/" + stable + "+", StringComparison.Ordinal);
        }

        // The trailer's /ID and the XMP packet's DocumentID and InstanceID: zeroed, hashed, then filled from the hash.
        var id = DocumentId().Match(text);
        var uuids = XmpUuid().Matches(text).Select(m => m.Groups[1]).ToList();
        var slots = (id.Success ? new[] { id.Groups[1], id.Groups[2] } : []).Concat(uuids).ToList();
        var buffer = new StringBuilder(text);
        foreach (var slot in slots)
        {
            for (var i = 0; i < slot.Length; i++)
            {
                buffer[slot.Index + i] = buffer[slot.Index + i] == '-' ? '-' : '0';
            }
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.Latin1.GetBytes(buffer.ToString())));
        if (id.Success)
        {
            buffer.Remove(id.Groups[1].Index, 32).Insert(id.Groups[1].Index, hash[..32]);
            buffer.Remove(id.Groups[2].Index, 32).Insert(id.Groups[2].Index, hash[..32]);
        }

        for (var u = 0; u < uuids.Count; u++)
        {
            var hex = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(hash + u.ToString(CultureInfo.InvariantCulture)))).ToLowerInvariant();
            var uuid = $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
            buffer.Remove(uuids[u].Index, 36).Insert(uuids[u].Index, uuid);
        }

        text = buffer.ToString();
        return Encoding.Latin1.GetBytes(text);
    }

    [GeneratedRegex(@"/(?:BaseFont|FontName)/([A-Z]{6})\+", RegexOptions.CultureInvariant)]
    private static partial Regex SubsetTag();

    [GeneratedRegex(@"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentId();

    [GeneratedRegex(@"<xmpMM:(?:DocumentID|InstanceID)>uuid:([0-9a-fA-F-]{36})<", RegexOptions.CultureInvariant)]
    private static partial Regex XmpUuid();

    private sealed record Fonts(XFont Title, XFont Body, XFont Small);
}
