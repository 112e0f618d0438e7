using System.Globalization;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Benchmarks;

/// <summary>Deterministic, valid 4.2 學期成績 rows: distinct students and courses, varied scores.</summary>
internal static class GradeRows
{
    private const string Letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

    public static IEnumerable<string?[]> Generate(RosterSheetLayout layout, int count)
    {
        var id = layout.IndexOf("nationalId");
        var birth = layout.IndexOf("birthDate");
        var course = layout.IndexOf("courseCode");
        var subject = layout.IndexOf("subjectName");
        var grade = layout.IndexOf("gradeLevel");
        var credits = layout.IndexOf("credits");
        var score = layout.IndexOf("score");
        var passed = layout.IndexOf("passed");
        var makeup = layout.IndexOf("makeupExamScore");
        var makeupPassed = layout.IndexOf("makeupExamPassed");
        var counting = layout.IndexOf("creditCounting");
        var remarkClass = layout.IndexOf("remarkClass");
        for (var i = 0; i < count; i++)
        {
            // Twenty courses per student: the (ID, course) key is unique across the run.
            var student = i / 20;
            var firstNine = string.Create(CultureInfo.InvariantCulture, $"{Letters[student % 26]}{1 + (student / 26 % 2)}{student / 52 % 10_000_000:0000000}");
            var row = new string?[layout.Columns.Count];
            row[id] = firstNine + NationalId.ComputeCheckDigit(firstNine).ToString(CultureInfo.InvariantCulture);
            row[birth] = "2008/05/13";
            row[course] = string.Create(CultureInfo.InvariantCulture, $"113060322H11101010101{i % 20:00}");
            row[subject] = "科目" + (i % 20).ToString(CultureInfo.InvariantCulture);
            row[grade] = "1";
            row[credits] = "2";
            var s = 40 + (i * 7 % 60);
            row[score] = s.ToString(CultureInfo.InvariantCulture) + ".5";
            row[passed] = s >= 60 ? "1" : "0";
            row[makeup] = "-1";
            row[makeupPassed] = "-1";
            row[counting] = "1";
            row[remarkClass] = "101";
            yield return row;
        }
    }
}
