// Quick start for a school's in-house developer: check the student keys and course codes of an export
// before it goes anywhere near the central database. Input: lines of "身分證號,課程代碼" (or the built-in
// example when no file is given). Every problem is reported with its line; valid lines are counted.
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;

string[] lines = args.Length > 0
    ? await File.ReadAllLinesAsync(args[0])
    : ["A123456789,108060322H1110101010101", "A123456788,108060322H1110109010101", "AC01234567,108060322H11101080D0101"];

var valid = 0;
for (var i = 0; i < lines.Length; i++)
{
    var cells = lines[i].Split(',');
    var at = new DiagnosticLocation(Source: args.Length > 0 ? args[0] : "example", Row: i + 1);
    var id = NationalId.Validate(cells[0], at with { Column = "身分證號" });
    var course = CourseCode.Validate(cells.ElementAtOrDefault(1), at with { Column = "課程代碼" });
    foreach (var diagnostic in id.Diagnostics.Concat(course.Diagnostics))
    {
        Console.WriteLine(diagnostic);
    }

    if (id.Success && course.Success)
    {
        valid++;
        Console.WriteLine($"row {i + 1}: {id.Value} {course.Value} ok");
    }
}

Console.WriteLine($"{valid} of {lines.Length} rows valid");
return valid == lines.Length ? 0 : 1;
