using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Tests.Rosters.Reference;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>
/// The fast row validator (issue 13: no per-cell allocations, locations built only on failure, cached course codes)
/// must report exactly what the validator before it reported (kept as <see cref="ReferenceRowValidator"/>), on random
/// valid and invalid rows of every sheet of the catalogue, duplicates included.
/// </summary>
public sealed class RosterRowValidatorEquivalenceTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly RosterSheetLayout[] Layouts =
        [.. RosterCatalogue.Default.Books.SelectMany(b => b.Sheets).SelectMany(s => new[] { s.LayoutFor(new SchoolYear(111)), s.LayoutFor(new SchoolYear(113)) })];

    private static readonly RosterCover[] Covers =
    [
        RosterTestData.Cover113First,
        new(SchoolCode.Parse("060322"), new SchoolYear(113), Term.Second),
        new(SchoolCode.Parse("060322"), new SchoolYear(113), Term.WholeYear),
        new(SchoolCode.Parse("060322"), new SchoolYear(111), Term.First),
    ];

    private static readonly Dictionary<string, PackageFile> Files = new(StringComparer.Ordinal)
    {
        ["files/a.pdf"] = new("files/a.pdf", "application/pdf", 10, "0123456789abcdef0123456789abcdef", new string('0', 64)),
    };

    private static readonly string?[] Anything = [null, string.Empty, " ", "  \t", "-1", "0", "1", "2", "x", "Ａ１", "１", "\u200B", "a,b"];

    [Fact]
    public void Validate_RandomRowsOfEverySheet_ReportsWhatTheReferenceValidatorReports()
    {
        var gen = from sheet in Gen.Choose(0, Layouts.Length - 1)
                  from cover in Gen.Choose(0, Covers.Length - 1)
                  from withFiles in Gen.Elements(true, false)
                  from seed in Gen.Choose(0, int.MaxValue)
                  from rows in Gen.Choose(1, 40)
                  select (sheet, cover, withFiles, seed, rows);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var layout = Layouts[c.sheet];
            var cover = Covers[c.cover];
            var fast = new RosterRowValidator(layout, cover, source: "f.xlsx") { PackageFiles = c.withFiles ? Files : null };
            var reference = new ReferenceRowValidator(layout, cover, source: "f.xlsx") { PackageFiles = c.withFiles ? Files : null };
            var random = new Random(c.seed);
            var earlier = new List<string?[]>();
            for (var r = 0; r < c.rows; r++)
            {
                // One row in five repeats an earlier one (duplicate keys), perhaps in another case or with spaces.
                var row = earlier.Count > 0 && random.Next(5) == 0 ? Repeat(earlier[random.Next(earlier.Count)], random) : RandomRow(layout, cover, random);
                earlier.Add(row);
                var fastDiagnostics = new List<Diagnostic>();
                var referenceDiagnostics = new List<Diagnostic>();
                var fastValid = fast.Validate(row, r + 2, fastDiagnostics);
                var referenceValid = reference.Validate(row, r + 2, referenceDiagnostics);
                fastValid.ShouldBe(referenceValid, Describe(layout, row));
                fastDiagnostics.Select(Text).ShouldBe(referenceDiagnostics.Select(Text), Describe(layout, row));
            }

            return fast.RowCount == reference.RowCount;
        }).Check(Runs);
    }

    [Fact]
    public void Validate_ValidGradeRows_ReportNothingOnEitherPath()
    {
        // Guard: the random rows above must contain clean rows too, or "both silent" would never be compared.
        var layout = RosterTestData.Layout("grades", "semester-grades");
        var fast = new RosterRowValidator(layout, RosterTestData.Cover113First);
        var reference = new ReferenceRowValidator(layout, RosterTestData.Cover113First);
        var diagnostics = new List<Diagnostic>();
        for (var i = 0; i < 50; i++)
        {
            var row = RosterTestData.SemesterGrade(layout, ("courseCode", string.Create(CultureInfo.InvariantCulture, $"113060322H11101010101{i % 10:00}")), ("nationalId", ValidId(i)));
            fast.Validate(row, i + 2, diagnostics).ShouldBeTrue();
            reference.Validate(row, i + 2, diagnostics).ShouldBeTrue();
        }

        diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void IsCanonicalValid_AgreesWithValidateOnRandomText()
    {
        var gen = Gen.OneOf(
            ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? string.Empty),
            Gen.Choose(0, 1_000_000).Select(ValidId),
            from i in Gen.Choose(0, 1_000_000) from k in Gen.Choose(0, 9) from c in Gen.Elements('0', '9', 'a', ' ', 'Ｚ', 'I', 'O') select ValidId(i).Remove(k, 1).Insert(k, c.ToString()));
        Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var outcome = NationalId.Validate(text);
            return NationalId.IsCanonicalValid(text) == (outcome.Success && outcome.Diagnostics.Count == 0);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void DateFastPath_AgreesWithTheFormatList()
    {
        var gen = from y in Gen.Choose(1800, 2100) from m in Gen.Choose(0, 13) from d in Gen.Choose(0, 32)
                  from sep in Gen.Elements("/", "-", ".")
                  from sep2 in Gen.Elements("/", "-")
                  from pad in Gen.Elements(true, false)
                  select string.Create(CultureInfo.InvariantCulture, $"{y:0000}{sep}{(pad ? m.ToString("00", CultureInfo.InvariantCulture) : m.ToString(CultureInfo.InvariantCulture))}{sep2}{d:00}");
        Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var fast = DateText.TryIsoLike(text, out var fastDate);
            var slow = DateTime.TryParseExact(text, ["yyyy/MM/dd", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var slowDate) && slowDate.Year >= 1900;
            return fast == slow && (!fast || fastDate == DateOnly.FromDateTime(slowDate));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void PlainDecimalFastPath_AgreesWithDecimalTryParse()
    {
        var shaped = from sign in Gen.Elements(string.Empty, "-", "+", " ")
                     from whole in Gen.Choose(0, 20).SelectMany(n => Gen.ArrayOf(Gen.Elements("0123456789.e ".ToCharArray()), n))
                     select sign + new string(whole);
        var gen = Gen.OneOf(shaped, ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? string.Empty),
            Gen.Choose(-100, 1000).Select(i => i.ToString(CultureInfo.InvariantCulture) + ".5"), Gen.Elements("-0", "-0.0", "0.0", "00", "60.50", "999999999999999999", "9999999999999999999", ".5", "5.", "1.2.3"));
        Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var slow = decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var expected);
            if (!RosterCellText.TryPlainDecimal(text, out var fast))
            {
                return true;   // left to decimal.TryParse
            }

            // Same value, same scale (so the same text when formatted), same sign.
            return slow && fast == expected && fast.ToString(CultureInfo.InvariantCulture) == expected.ToString(CultureInfo.InvariantCulture) && fast.Scale == expected.Scale;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    private static string Text(Diagnostic d) => $"{d.Code}|{d.Severity}|{d.Location}|{d.Message}|{d.MessageEnglish}";

    private static string Describe(RosterSheetLayout layout, string?[] row) =>
        layout.Sheet.Id + ": " + string.Join(" | ", row.Select(v => v is null ? "∅" : "'" + v + "'"));

    private static string ValidId(int n)
    {
        const string letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO";
        var firstNine = string.Create(CultureInfo.InvariantCulture, $"{letters[n % 26]}{"1289ABCD"[n / 26 % 8]}{n % 10_000_000:0000000}");
        return firstNine + NationalId.ComputeCheckDigit(firstNine).ToString(CultureInfo.InvariantCulture);
    }

    private static string?[] Repeat(string?[] row, Random random)
    {
        var copy = (string?[])row.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is { } v && random.Next(4) == 0)
            {
                copy[i] = random.Next(2) == 0 ? v.ToLowerInvariant() : " " + v + " ";
            }
        }

        return copy;
    }

    private static string?[] RandomRow(RosterSheetLayout layout, RosterCover cover, Random random)
    {
        var row = new string?[layout.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = layout.Columns[i];
            row[i] = random.Next(10) == 0 ? Anything[random.Next(Anything.Length)] : ValueFor(column, cover, random);
        }

        return row;
    }

    private static string? ValueFor(RosterColumn column, RosterCover cover, Random random)
    {
        string Pick(params string[] values) => values[random.Next(values.Length)];
        var course = Pick("113060322H11101010101", "112060322H11101010101", "113060322H111010101", "113060322H1118D010101", "113060322H1119A010101", "113099999H11101010101", "111060322H11101010101")
            + random.Next(0, 12).ToString("00", CultureInfo.InvariantCulture);
        return column.Type switch
        {
            RosterColumnType.NationalId => Pick(ValidId(random.Next(1000)), ValidId(random.Next(1000)).ToLowerInvariant(), " " + ValidId(random.Next(1000)), "Ａ123456789", "A123456788", "A12345678", "Z999999999", "A1234567890"),
            RosterColumnType.Date => Pick("2008/05/13", "2008-05-13", "2008/5/13", "97/05/13", "0970513", "39581", "2008/02/30", "1899/12/31", "2008/13/01", "2008.05.13", "2024-02-29", "2023-02-29", "113/09/01", "112/08/01", "20080513"),
            RosterColumnType.SchoolYear => Pick("113", "112", "0", "abc", "１１３"),
            RosterColumnType.Term => Pick("1", "2", "3", "0"),
            RosterColumnType.WholeNumber => Pick("1", "2", "4", "5", "0", "2.0", "2.5", "x", "-3", "99999"),
            RosterColumnType.Number => Pick("1", "2.5", "-7", "x", "1e3", "100000"),
            RosterColumnType.Score => Pick("60", "59.5", "-1", "0", "100", "101", "abc", "1e2", " 70 ", "85.5"),
            RosterColumnType.Credits => Pick("2", "4", "0", "-1", "x", "0.5"),
            RosterColumnType.Code or RosterColumnType.CodeList when column.CodeTableId is { } id && CodeTableCatalog.Default.TryGetTable(id, out var table) && table.Entries.Count > 0 =>
                random.Next(6) switch
                {
                    0 => "9999",
                    1 => table.Entries[random.Next(table.Entries.Count)].Code.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0",
                    2 when column.Type == RosterColumnType.CodeList => table.Entries[random.Next(table.Entries.Count)].Code + "," + table.Entries[random.Next(table.Entries.Count)].Code,
                    3 when column.Type == RosterColumnType.CodeList => " " + table.Entries[random.Next(table.Entries.Count)].Code + ",,",
                    _ => table.Entries[random.Next(table.Entries.Count)].Code,
                },
            RosterColumnType.Code or RosterColumnType.CodeList => Pick("1", "01", "x"),
            RosterColumnType.CourseCode => random.Next(8) == 0 ? Pick("abc", string.Empty, "113060322h1110101010101", "１13060322H1110101010101", "000060322H1110101010101") : course,
            RosterColumnType.SchoolCode => Pick("060322", "60322", "999999", "x", cover.School.Value),
            RosterColumnType.Md5 => Pick("0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef", new string('g', 32)),
            RosterColumnType.Url => Pick("https://example.tw/a", "http://example.tw/a", "files/a.pdf", "files/b.pdf", "not a url"),
            RosterColumnType.Text => Pick("國語文", "abc", new string('字', 60), new string('字', 600), "👩‍👩‍👧", "files/a.pdf", "1", "0", "101"),
            _ => Pick("1", "x"),
        };
    }
}
