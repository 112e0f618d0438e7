namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// The stable diagnostic codes (診斷代碼) of the SDK's domain core. Codes are grouped by hundreds:
/// <c>PF01xx</c> 身分證號, <c>PF02xx</c> 學年度/學期, <c>PF03xx</c> 學校代碼, <c>PF04xx</c> 課程代碼,
/// <c>PF05xx</c> code tables. A code is never reused for another meaning.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The national ID is empty.</summary>
    public const string NationalIdEmpty = "PF0101";

    /// <summary>The national ID does not have 10 characters.</summary>
    public const string NationalIdLength = "PF0102";

    /// <summary>The first character is not a letter A–Z.</summary>
    public const string NationalIdFirstLetter = "PF0103";

    /// <summary>The second character fits none of the ID formats.</summary>
    public const string NationalIdSecondCharacter = "PF0104";

    /// <summary>Characters 3 to 10 are not all digits.</summary>
    public const string NationalIdDigits = "PF0105";

    /// <summary>The check digit does not match.</summary>
    public const string NationalIdCheckDigit = "PF0106";

    /// <summary>The ID was trimmed or upper-cased before validation (information).</summary>
    public const string NationalIdNormalised = "PF0107";

    /// <summary>A school year is not a number.</summary>
    public const string SchoolYearFormat = "PF0201";

    /// <summary>A school year is out of range.</summary>
    public const string SchoolYearRange = "PF0202";

    /// <summary>A term is not 0, 1 or 2.</summary>
    public const string TermInvalid = "PF0203";

    /// <summary>A school term is not written as <c>year-term</c>.</summary>
    public const string SchoolTermFormat = "PF0204";

    /// <summary>The school code is empty.</summary>
    public const string SchoolCodeEmpty = "PF0301";

    /// <summary>The school code does not have 6 characters.</summary>
    public const string SchoolCodeLength = "PF0302";

    /// <summary>The school code has characters other than digits and upper-case letters.</summary>
    public const string SchoolCodeCharacters = "PF0303";

    /// <summary>The school code is a test or administrative code.</summary>
    public const string SchoolCodeTest = "PF0304";

    /// <summary>The course code is empty.</summary>
    public const string CourseCodeEmpty = "PF0401";

    /// <summary>The course code does not have 23 characters.</summary>
    public const string CourseCodeLength = "PF0402";

    /// <summary>A course-code character is not a digit or an upper-case letter.</summary>
    public const string CourseCodeCharacters = "PF0403";

    /// <summary>The cohort-year segment is not 3 digits.</summary>
    public const string CourseCodeCohortYear = "PF0404";

    /// <summary>The school-code segment is invalid.</summary>
    public const string CourseCodeSchool = "PF0405";

    /// <summary>A segment value is not in a complete (closed) code table.</summary>
    public const string CourseCodeSegmentUnknown = "PF0406";

    /// <summary>A segment value is not in an incomplete (open) code table.</summary>
    public const string CourseCodeSegmentUnlisted = "PF0407";

    /// <summary>Course category 8 or 9 without subject attribute D: grades are not submitted.</summary>
    public const string CourseCodeGroupActivityAttribute = "PF0408";

    /// <summary>A code is not in a complete (closed) code table.</summary>
    public const string CodeUnknown = "PF0501";

    /// <summary>A code is not among the known codes of an incomplete (open) code table.</summary>
    public const string CodeUnlisted = "PF0502";

    /// <summary>A code-table file cannot be read.</summary>
    public const string CodeTableFileInvalid = "PF0503";

    /// <summary>A code is defined twice in one table.</summary>
    public const string CodeTableDuplicate = "PF0504";

    /// <summary>A code table does not exist.</summary>
    public const string CodeTableMissing = "PF0505";
}
