using Portfolio.Sdk.Calendar;

namespace Portfolio.Sdk.Codes;

/// <summary>The short tags of <see cref="Evidence"/> used in the data files and the research: C, C-3p, I, U.</summary>
public static class EvidenceTags
{
    /// <summary>Gets the tag of an evidence level.</summary>
    /// <param name="evidence">The level.</param>
    /// <returns><c>C</c>, <c>C-3p</c>, <c>I</c> or <c>U</c>.</returns>
    public static string ToTag(this Evidence evidence) => evidence switch
    {
        Evidence.Confirmed => "C",
        Evidence.ConfirmedThirdParty => "C-3p",
        Evidence.Inferred => "I",
        _ => "U",
    };

    /// <summary>Reads a tag; anything unrecognised is <see cref="Evidence.Unknown"/>.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The level.</returns>
    public static Evidence Parse(string? tag) => tag switch
    {
        "C" => Evidence.Confirmed,
        "C-3p" => Evidence.ConfirmedThirdParty,
        "I" => Evidence.Inferred,
        _ => Evidence.Unknown,
    };

    /// <summary>Whether two inclusive school-year ranges (null ends are open) overlap; used by the data-file loaders.</summary>
    internal static bool YearsOverlap(SchoolYear? aFrom, SchoolYear? aUntil, int? bFrom, int? bUntil) =>
        (aFrom?.RocYear ?? int.MinValue) <= (bUntil ?? int.MaxValue) && (bFrom ?? int.MinValue) <= (aUntil?.RocYear ?? int.MaxValue);
}
