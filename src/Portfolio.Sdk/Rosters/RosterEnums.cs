namespace Portfolio.Sdk.Rosters;

/// <summary>How often a roster book goes to the central database (繳交週期).</summary>
public enum RosterCadence
{
    /// <summary>Every semester (每學期): basic data, cadre records, grades. The cover's 學期 is 1 or 2.</summary>
    Semester = 1,

    /// <summary>Once a school year (每學年): course outcomes and diverse performances. The cover's 學期 is 0.</summary>
    Year = 2,
}

/// <summary>Which part of a school a roster book is for (部別).</summary>
public enum RosterDivision
{
    /// <summary>The day school (日間部): credits (學分).</summary>
    Day = 1,

    /// <summary>Continuing education (進修部/進修學校): periods (節數) instead of credits.</summary>
    Continuing = 2,
}

/// <summary>The kind of value a roster column holds; it decides how the column is validated and written.</summary>
public enum RosterColumnType
{
    /// <summary>Free text, written as text.</summary>
    Text = 0,

    /// <summary>身分證號 or 居留證統一證號, with check digit; written as text.</summary>
    NationalId,

    /// <summary>A calendar date (Gregorian, ROC or an Excel date serial on input).</summary>
    Date,

    /// <summary>An ROC school year (學年度).</summary>
    SchoolYear,

    /// <summary>A term: 1 or 2 (0 only where the column allows a whole year).</summary>
    Term,

    /// <summary>A whole number, written as a number (<c>integer</c> in the catalogue file).</summary>
    WholeNumber,

    /// <summary>A decimal number, written as a number (<c>decimal</c> in the catalogue file).</summary>
    Number,

    /// <summary>A score: a decimal from 0 to 100, or <c>-1</c> for "no score"; written as a number.</summary>
    Score,

    /// <summary>Credits (學分) or periods (節數): a non-negative number; written as a number.</summary>
    Credits,

    /// <summary>A code from the column's code table, written as text (leading zeros kept).</summary>
    Code,

    /// <summary>A comma-separated list of codes from the column's code table, e.g. 特殊身分別 <c>1,4</c>.</summary>
    CodeList,

    /// <summary>A 23-character 課程代碼, written as text.</summary>
    CourseCode,

    /// <summary>A 6-character 學校代碼, written as text.</summary>
    SchoolCode,

    /// <summary>An MD5 digest of a file, 32 hexadecimal characters.</summary>
    Md5,

    /// <summary>An absolute https link.</summary>
    Url,
}
