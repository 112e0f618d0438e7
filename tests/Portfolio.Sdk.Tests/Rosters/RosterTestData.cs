using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>Builds valid roster rows by column key, so each test changes only what it is about.</summary>
internal static class RosterTestData
{
    public static readonly RosterCover Cover113First = new(SchoolCode.Parse("060322"), new SchoolYear(113), Term.First);

    public static RosterSheetLayout Layout(string bookId, string sheetId, int year = 113) =>
        RosterCatalogue.Default[bookId].FindSheet(sheetId)!.LayoutFor(new SchoolYear(year));

    public static string?[] Row(RosterSheetLayout layout, params (string Key, string? Value)[] values)
    {
        var row = new string?[layout.Columns.Count];
        foreach (var (key, value) in values)
        {
            var index = layout.IndexOf(key);
            if (index < 0)
            {
                throw new ArgumentException($"{layout.Sheet.Id} has no column {key}");
            }

            row[index] = value;
        }

        return row;
    }

    /// <summary>A valid 4.2 學期成績 row for school 060322 in 113-1 (grade 1, cohort 113).</summary>
    public static string?[] SemesterGrade(RosterSheetLayout layout, params (string Key, string? Value)[] overrides)
    {
        (string, string?)[] valid =
        [
            ("nationalId", "A123456789"), ("birthDate", "2008/05/13"), ("courseCode", "113060322H1110101010101"),
            ("subjectName", "國語文"), ("gradeLevel", "1"), ("credits", "4"), ("score", "85.5"), ("passed", "1"),
            ("makeupExamScore", "-1"), ("makeupExamPassed", "-1"), ("creditCounting", "1"),
        ];
        return Row(layout, [.. valid.Where(v => !overrides.Any(o => o.Key == v.Item1)), .. overrides]);
    }

    public static MemoryStream Write(RosterBook book, RosterCover cover, Action<RosterWorkbookWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = RosterWorkbookWriter.Create(stream, book, cover))
        {
            write(writer);
        }

        stream.Position = 0;
        return stream;
    }
}
