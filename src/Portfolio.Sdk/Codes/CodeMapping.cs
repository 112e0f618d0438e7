namespace Portfolio.Sdk.Codes;

/// <summary>
/// A mapping from the codes of one table to those of another, e.g. 學籍異動代碼 → 身分別 (代碼對應).
/// Rules are tried in order; the first whose codes contain the input wins.
/// </summary>
public sealed class CodeMapping
{
    private readonly (string From, string To, string Value)[] _ranges;

    /// <summary>Initializes a mapping.</summary>
    /// <param name="id">The stable identifier, e.g. <c>enrollment-change-to-student-type</c>.</param>
    /// <param name="fromTable">The identifier of the source table.</param>
    /// <param name="toTable">The identifier of the target table.</param>
    /// <param name="evidence">How well the mapping is backed.</param>
    /// <param name="rules">Each target value with the source codes or inclusive ranges (<c>111-115</c>) that map to it.</param>
    public CodeMapping(string id, string fromTable, string toTable, Evidence evidence, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> rules)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(fromTable);
        ArgumentException.ThrowIfNullOrEmpty(toTable);
        ArgumentNullException.ThrowIfNull(rules);
        Id = id;
        FromTable = fromTable;
        ToTable = toTable;
        Evidence = evidence;
        var ranges = new List<(string, string, string)>();
        foreach (var (value, codes) in rules)
        {
            foreach (var item in codes)
            {
                var dash = item.IndexOf('-', 1);
                ranges.Add(dash > 0 ? (item[..dash], item[(dash + 1)..], value) : (item, item, value));
            }
        }

        _ranges = [.. ranges];
    }

    /// <summary>Gets the stable identifier.</summary>
    public string Id { get; }

    /// <summary>Gets the identifier of the source table.</summary>
    public string FromTable { get; }

    /// <summary>Gets the identifier of the target table.</summary>
    public string ToTable { get; }

    /// <summary>Gets how well the mapping is backed.</summary>
    public Evidence Evidence { get; }

    /// <summary>Maps a source code to a target code.</summary>
    /// <param name="code">The source code.</param>
    /// <returns>The target code, or <see langword="null"/> when no rule covers the source code.</returns>
    public string? Map(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        foreach (var (from, to, value) in _ranges)
        {
            if (InRange(code, from, to))
            {
                return value;
            }
        }

        return null;
    }

    // Codes compare as numbers when all three are numeric, otherwise ordinally with equal length.
    private static bool InRange(string code, string from, string to)
    {
        if (long.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c)
            && long.TryParse(from, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var f)
            && long.TryParse(to, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t))
        {
            return c >= f && c <= t;
        }

        return code.Length == from.Length
            && string.CompareOrdinal(code, from) >= 0
            && string.CompareOrdinal(code, to) <= 0;
    }
}
