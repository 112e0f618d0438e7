namespace Portfolio.Sdk.Calendar;

/// <summary>A senior-high grade (年級): 高一, 高二, 高三 (grades 10 to 12).</summary>
public enum GradeLevel
{
    /// <summary>高一 (grade 10).</summary>
    First = 1,

    /// <summary>高二 (grade 11).</summary>
    Second = 2,

    /// <summary>高三 (grade 12).</summary>
    Third = 3,
}
