using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;

namespace Portfolio.Sdk.Rosters;

/// <summary>One column (欄位) of a roster sheet: its Chinese header, type, rules and the school years it applies to.</summary>
public sealed class RosterColumn
{
    internal RosterColumn(string key, string header, RosterColumnType type, bool isRequired, string? codeTableId, Evidence evidence,
        SchoolYear? from, SchoolYear? until, decimal? minimum, decimal? maximum, int? maxLength, bool isPersonal)
    {
        Key = key;
        Header = header;
        Type = type;
        IsRequired = isRequired;
        CodeTableId = codeTableId;
        Evidence = evidence;
        From = from;
        Until = until;
        Minimum = minimum;
        Maximum = maximum;
        MaxLength = maxLength;
        IsPersonal = isPersonal;
    }

    /// <summary>Gets the stable camel-case key used in JSON forms, e.g. <c>courseCode</c>.</summary>
    public string Key { get; }

    /// <summary>Gets the Chinese header as written in row 1 of the sheet, e.g. <c>課程代碼</c>.</summary>
    public string Header { get; }

    /// <summary>Gets the kind of value.</summary>
    public RosterColumnType Type { get; }

    /// <summary>Gets a value indicating whether every row must have a value.</summary>
    public bool IsRequired { get; }

    /// <summary>Gets the code table for <see cref="RosterColumnType.Code"/> and <see cref="RosterColumnType.CodeList"/> columns.</summary>
    public string? CodeTableId { get; }

    /// <summary>Gets how well the column is backed by the sources.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets the first school year the column exists in, or <see langword="null"/> for always.</summary>
    public SchoolYear? From { get; }

    /// <summary>Gets the last school year the column exists in, or <see langword="null"/> for still current.</summary>
    public SchoolYear? Until { get; }

    /// <summary>Gets the smallest accepted number, when the column has one.</summary>
    public decimal? Minimum { get; }

    /// <summary>Gets the largest accepted number, when the column has one.</summary>
    public decimal? Maximum { get; }

    /// <summary>Gets the largest number of characters a person sees, when the column has one (e.g. 100 for 簡述).</summary>
    public int? MaxLength { get; }

    /// <summary>Gets a value indicating whether the column holds a name or other personal data besides the ID.</summary>
    public bool IsPersonal { get; }

    /// <summary>Gets whether the column exists in <paramref name="year"/>.</summary>
    /// <param name="year">The school year.</param>
    /// <returns><see langword="true"/> when the column is in force.</returns>
    public bool AppliesTo(SchoolYear year) => (From is not { } f || year >= f) && (Until is not { } u || year <= u);

    /// <inheritdoc />
    public override string ToString() => $"{Header} ({Key}, {Type})";
}
