using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Storage.Packages;

/// <summary>Which per-year package (上傳包) a <see cref="YearPackage"/> is.</summary>
public enum YearPackageKind
{
    /// <summary>課程學習成果 (book <c>course-outcomes</c>).</summary>
    CourseOutcomes = 1,

    /// <summary>多元表現 (book <c>performances</c>).</summary>
    Performances,

    /// <summary>進修部 課程學習成果 (book <c>continuing-course-outcomes</c>).</summary>
    ContinuingCourseOutcomes,
}

/// <summary>An item put into a package, at the version that was packaged (the version locked after the submission).</summary>
/// <param name="Id">The course outcome's or 多元表現's id.</param>
/// <param name="Version">The version packaged.</param>
public sealed record YearPackageItem(Guid Id, long Version);

/// <summary>
/// The row a packaged item became, as the central database's receipt will name it (收訖明細列): the sheet and the
/// SHA-256 of the row key (the sheet's key columns, trimmed, joined by <c>|</c>, as <c>RosterContent.KeyOf</c> reads them
/// back). Only the hash is kept, because the key holds the 身分證號. <see cref="YearPackageBuilder.LockSubmittedAsync"/>
/// records these rows, so an upheld dispute on a receipt row finds its item (<see cref="PortfolioModule.UnlockForCorrectionAsync"/>).
/// </summary>
/// <param name="Id">The item's id.</param>
/// <param name="Sheet">The sheet, e.g. <c>outcome-semester</c>.</param>
/// <param name="RowKeySha256">The SHA-256 of the row key, lowercase hex.</param>
public sealed record YearPackageRow(Guid Id, string Sheet, string RowKeySha256)
{
    /// <summary>Gets the SHA-256 of a row key as <see cref="RowKeySha256"/> holds it.</summary>
    /// <param name="rowKey">The row key.</param>
    /// <returns>The lowercase hex SHA-256 of its UTF-8 bytes.</returns>
    public static string HashOf(string rowKey)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rowKey)));
    }
}

/// <summary>An item considered for a package and left out, with the reasons (each names the item, never an unmasked ID).</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Diagnostics">Why it was left out; the first is the package's own PF code.</param>
public sealed record YearPackageLeftOut(Guid Id, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// A per-year package as written: every item considered is either packaged or left out
/// (<see cref="Considered"/> = <see cref="Packaged"/> + <see cref="LeftOut"/>).
/// </summary>
public sealed class YearPackage
{
    internal YearPackage(YearPackageKind kind, SchoolCode school, SchoolYear year, IReadOnlyList<YearPackageItem> packaged, IReadOnlyList<YearPackageLeftOut> leftOut, RosterPackageManifest manifest, IReadOnlyList<YearPackageRow> rows)
    {
        Rows = rows;
        Kind = kind;
        School = school;
        Year = year;
        Packaged = packaged;
        LeftOut = leftOut;
        Manifest = manifest;
    }

    /// <summary>Gets which package this is.</summary>
    public YearPackageKind Kind { get; }

    /// <summary>Gets the school.</summary>
    public SchoolCode School { get; }

    /// <summary>Gets the school year.</summary>
    public SchoolYear Year { get; }

    /// <summary>Gets the roster book's id (<c>course-outcomes</c>, <c>continuing-course-outcomes</c> or <c>performances</c>).</summary>
    public string BookId => Kind switch
    {
        YearPackageKind.CourseOutcomes => "course-outcomes",
        YearPackageKind.ContinuingCourseOutcomes => "continuing-course-outcomes",
        _ => "performances",
    };

    /// <summary>Gets the number of items considered: the selected items of the year.</summary>
    public int Considered => Packaged.Count + LeftOut.Count;

    /// <summary>Gets the items packaged, one workbook row each, in row order.</summary>
    public IReadOnlyList<YearPackageItem> Packaged { get; }

    /// <summary>Gets the row each packaged item became (same order as <see cref="Packaged"/>): what a receipt row maps back to.</summary>
    public IReadOnlyList<YearPackageRow> Rows { get; }

    /// <summary>Gets the items left out, each with its diagnostics.</summary>
    public IReadOnlyList<YearPackageLeftOut> LeftOut { get; }

    /// <summary>Gets every diagnostic of the items left out, in item order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => [.. LeftOut.SelectMany(l => l.Diagnostics)];

    /// <summary>Gets the package's manifest (the workbook and every evidence file, with MD5 and SHA-256).</summary>
    public RosterPackageManifest Manifest { get; }

    /// <summary>
    /// Restores the accounting of a package written earlier (from a record the host kept of its items and manifest),
    /// so that <see cref="YearPackageBuilder.LockSubmittedAsync"/> can lock what was packaged after a restart. A restored
    /// package has no <see cref="LeftOut"/>: those were reported when it was written.
    /// </summary>
    /// <param name="kind">Which package it is.</param>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="packaged">The items packaged, at the versions packaged.</param>
    /// <param name="manifest">The package's manifest.</param>
    /// <param name="rows">The row each packaged item became (<see cref="Rows"/> of the package as written), which the
    /// lock records so that an upheld receipt dispute finds its item.</param>
    /// <returns>The package.</returns>
    public static YearPackage Restore(YearPackageKind kind, SchoolCode school, SchoolYear year, IReadOnlyList<YearPackageItem> packaged, RosterPackageManifest manifest,
        IReadOnlyList<YearPackageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(packaged);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(rows);
        return new YearPackage(kind, school, year, [.. packaged], [], manifest, [.. rows]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"YearPackage {{ Book = {BookId}, School = {School}, Year = {Year}, Packaged = {Packaged.Count}, LeftOut = {LeftOut.Count} }}";
}

/// <summary>
/// A school year's two 課程學習成果 packages: the day book's and the 進修部 book's. Every selected course outcome of the year
/// is in exactly one of them, packaged or left out (<see cref="Considered"/> = both packages' items).
/// </summary>
/// <param name="Day">The day package (book <c>course-outcomes</c>).</param>
/// <param name="Continuing">The 進修部 package (book <c>continuing-course-outcomes</c>).</param>
public sealed record CourseOutcomePackages(YearPackage Day, YearPackage Continuing)
{
    /// <summary>Gets the number of items considered in both packages: the selected course outcomes of the year.</summary>
    public int Considered => Day.Considered + Continuing.Considered;
}

/// <summary>What locking a submitted package did.</summary>
/// <param name="Locked">Items locked now.</param>
/// <param name="AlreadyLocked">Items that were already locked (a repeated call locks nothing twice).</param>
/// <param name="Refused">Items that could not be locked (changed since they were packaged, or refused by the module), with the reason.</param>
public sealed record YearPackageLock(int Locked, int AlreadyLocked, IReadOnlyList<YearPackageLeftOut> Refused);
