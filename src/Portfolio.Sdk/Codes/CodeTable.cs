using System.Collections.Frozen;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Codes;

/// <summary>
/// A code table (代碼表) such as 群別代碼 or 特殊身分別. A <em>closed</em> table is complete, so a code outside it
/// is an error; an <em>open</em> table is known to be incomplete, so a code outside it is only a warning.
/// </summary>
public sealed class CodeTable
{
    private readonly FrozenDictionary<string, CodeEntry[]> _byCode;

    /// <summary>Initializes a table.</summary>
    /// <param name="id">The stable identifier, e.g. <c>group</c>; see <see cref="CodeTableIds"/>.</param>
    /// <param name="name">The Chinese name.</param>
    /// <param name="nameEnglish">The English name.</param>
    /// <param name="isClosed">Whether the table is complete.</param>
    /// <param name="evidence">How well the table is backed.</param>
    /// <param name="source">Where the table comes from.</param>
    /// <param name="entries">The entries; one code may appear more than once with disjoint school years.</param>
    public CodeTable(string id, string name, string nameEnglish, bool isClosed, Evidence evidence, string? source, IEnumerable<CodeEntry> entries)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(nameEnglish);
        ArgumentNullException.ThrowIfNull(entries);
        Id = id;
        Name = name;
        NameEnglish = nameEnglish;
        IsClosed = isClosed;
        Evidence = evidence;
        Source = source;
        Entries = [.. entries];
        _byCode = Entries.GroupBy(e => e.Code, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Gets the stable identifier.</summary>
    public string Id { get; }

    /// <summary>Gets the Chinese name.</summary>
    public string Name { get; }

    /// <summary>Gets the English name.</summary>
    public string NameEnglish { get; }

    /// <summary>Gets a value indicating whether the table is complete.</summary>
    public bool IsClosed { get; }

    /// <summary>Gets how well the table is backed.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets where the table comes from.</summary>
    public string? Source { get; }

    /// <summary>Gets every entry in file order.</summary>
    public IReadOnlyList<CodeEntry> Entries { get; }

    /// <summary>Finds the entry for <paramref name="code"/> in force in <paramref name="year"/>.</summary>
    /// <param name="code">The code.</param>
    /// <param name="year">The school year, or <see langword="null"/> for any year.</param>
    /// <param name="entry">The entry, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGet(string? code, SchoolYear? year, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CodeEntry? entry)
    {
        entry = null;
        if (code is null || !_byCode.TryGetValue(code, out var candidates))
        {
            return false;
        }

        // A loop, not Array.Find with a lambda: the lambda would capture the year and allocate on every lookup.
        foreach (var candidate in candidates)
        {
            if (candidate.AppliesTo(year))
            {
                entry = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets the name of <paramref name="code"/>, or <see langword="null"/> when unknown or unnamed.</summary>
    /// <param name="code">The code.</param>
    /// <param name="year">The school year, or <see langword="null"/> for any year.</param>
    /// <returns>The name.</returns>
    public string? NameOf(string? code, SchoolYear? year = null) => TryGet(code, year, out var entry) ? entry.Name : null;

    /// <summary>
    /// Checks <paramref name="code"/>: nothing when known, an error (<c>PF0501</c>) when not in a closed table,
    /// a warning (<c>PF0502</c>) when not in an open table.
    /// </summary>
    /// <param name="code">The code.</param>
    /// <param name="year">The school year, or <see langword="null"/> for any year.</param>
    /// <param name="location">Where the code was found.</param>
    /// <returns>The diagnostic, or <see langword="null"/> when the code is known.</returns>
    public Diagnostic? Check(string? code, SchoolYear? year = null, DiagnosticLocation? location = null)
    {
        if (TryGet(code, year, out _))
        {
            return null;
        }

        return DiagnosticCatalog.Create(IsClosed ? DiagnosticCodes.CodeUnknown : DiagnosticCodes.CodeUnlisted, location, Name, code ?? string.Empty);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Name}, {Entries.Count} codes)";
}
