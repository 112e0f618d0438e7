using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>Real roster workbooks for the tests: 學期成績 for a number of students, optionally with invalid rows.</summary>
internal static class Rosters
{
    public static readonly SchoolCode School = SchoolCode.Parse("060322");
    public static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    public static string StudentId(int index)
    {
        var nine = "A1" + (1000000 + index).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        return nine + NationalId.ComputeCheckDigit(nine);
    }

    public static SubmissionIdentity Identity(int revision = 1, string? school = null) =>
        new(school is null ? School : SchoolCode.Parse(school), "grades", Term, revision);

    /// <summary>A grades workbook: two rows per student; <paramref name="invalid"/> of them pass 0 as a pass (PF12xx error).</summary>
    public static byte[] Grades(int students, int invalid = 0, decimal score = 88, string? school = null, int seed = 0)
    {
        var schoolCode = school is null ? School : SchoolCode.Parse(school);
        var book = RosterCatalogue.Default["grades"];
        using var output = new MemoryStream();
        using (var writer = RosterWorkbookWriter.Create(output, book, RosterCover.For(book, schoolCode, Term)))
        using (var sheet = writer.BeginSheet(SemesterGradesRow.Sheet))
        {
            for (var i = 0; i < students; i++)
            {
                foreach (var course in new[] { "1110101010101", "1110102010101" })
                {
                    var bad = i < invalid && course == "1110101010101";
                    sheet.WriteRow(new SemesterGradesRow
                    {
                        NationalId = NationalId.Parse(StudentId(seed + i)),
                        BirthDate = new DateOnly(2008, 5, 13),
                        CourseCode = CourseCode.Parse($"113{schoolCode.Value}H{course}"),
                        SubjectName = "國語文",
                        GradeLevel = 1,
                        Credits = 2,
                        Score = bad ? 0 : score,
                        Passed = "1",
                        MakeupExamPassed = "-1",
                        CreditCounting = "1",
                    });
                }
            }
        }

        return output.ToArray();
    }
}
