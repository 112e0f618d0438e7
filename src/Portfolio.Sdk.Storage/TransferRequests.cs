using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Storage;

/// <summary>A transfer export (歷程交換匯出): the student as the sending school knows them, and the school.</summary>
public sealed record TransferExportRequest
{
    /// <summary>Gets the student's key in this school's store.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's 身分證號 or 居留證號, which every record of the package carries.</summary>
    public required NationalId NationalId { get; init; }

    /// <summary>Gets the student's name (學生中文姓名).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the date of birth (學生出生年月日).</summary>
    public required DateOnly BirthDate { get; init; }

    /// <summary>Gets this (the sending) school's code (就讀學校代碼).</summary>
    public required SchoolCode SchoolCode { get; init; }

    /// <summary>Gets the term of the export (學年度, 學期).</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Returns the request with the key and ID masked and no name.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"TransferExportRequest {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, NationalId = {NationalId.Masked}, SchoolCode = {SchoolCode}, Term = {Term} }}";
}

/// <summary>What a transfer export wrote.</summary>
/// <param name="CourseOutcomes">課程學習成果 exported.</param>
/// <param name="Performances">多元表現 exported.</param>
/// <param name="Cadres">School-entered cadre records exported.</param>
/// <param name="Files">Distinct files written.</param>
/// <param name="LeftOut">Items left out (each with a warning).</param>
public sealed record TransferExportSummary(int CourseOutcomes, int Performances, int Cadres, int Files, int LeftOut);

/// <summary>A transfer import (歷程交換匯入): the student the package must be for, as the receiving school knows them.</summary>
public sealed record TransferImportRequest
{
    /// <summary>Gets the student's key in this school's store.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's 身分證號 or 居留證號: a package for anyone else is refused (<c>PF6012</c>).</summary>
    public required NationalId NationalId { get; init; }

    /// <summary>Gets the student's class at this school (for the 導師's scope), or <see langword="null"/>.</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the limits of the read; <see cref="InputLimits.Default"/> when <see langword="null"/>.</summary>
    public InputLimits? Limits { get; init; }

    /// <summary>Returns the request with the key and ID masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"TransferImportRequest {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, NationalId = {NationalId.Masked}, ClassName = {ClassName} }}";
}

/// <summary>
/// The account of a transfer import: every record read is added, already present (imported before) or left out with its
/// diagnostics (<see cref="RecordsRead"/> = <see cref="Added"/> + <see cref="AlreadyPresent"/> + <see cref="LeftOut"/>).
/// </summary>
/// <param name="SendingSchool">The sending school's code (基本資料.就讀學校代碼).</param>
/// <param name="RecordsRead">Records in the package.</param>
/// <param name="Added">Records stored by this import.</param>
/// <param name="AlreadyPresent">Records an earlier import had stored.</param>
/// <param name="LeftOut">Records left out.</param>
/// <param name="Diagnostics">Every diagnostic of the package and its records, at their JSON paths.</param>
public sealed record TransferImportReport(string SendingSchool, int RecordsRead, int Added, int AlreadyPresent, int LeftOut, IReadOnlyList<Diagnostic> Diagnostics);
