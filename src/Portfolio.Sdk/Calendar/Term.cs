namespace Portfolio.Sdk.Calendar;

/// <summary>A term (學期) of a school year, as written in roster cover sheets.</summary>
public enum Term
{
    /// <summary>The whole school year (學期 = 0): used by the per-year rosters (課程學習成果, 多元表現).</summary>
    WholeYear = 0,

    /// <summary>The first term (上學期), 1 August to 31 January.</summary>
    First = 1,

    /// <summary>The second term (下學期), 1 February to 31 July.</summary>
    Second = 2,
}
