using Portfolio.Sdk.Calendar;

namespace Portfolio.Sdk.Codes;

/// <summary>One code of a <see cref="CodeTable"/> (代碼), with its name and the school years it applies to.</summary>
public sealed class CodeEntry
{
    /// <summary>Initializes an entry.</summary>
    /// <param name="code">The code as written in rosters.</param>
    /// <param name="name">The Chinese name, or <see langword="null"/> when the meaning is unknown.</param>
    /// <param name="evidence">How well the entry is backed.</param>
    /// <param name="from">The first school year the code applies to, or <see langword="null"/> for always.</param>
    /// <param name="until">The last school year the code applies to, or <see langword="null"/> for still current.</param>
    public CodeEntry(string code, string? name, Evidence evidence, SchoolYear? from = null, SchoolYear? until = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Name = name;
        Evidence = evidence;
        From = from;
        Until = until;
    }

    /// <summary>Gets the code.</summary>
    public string Code { get; }

    /// <summary>Gets the Chinese name, or <see langword="null"/> when unknown.</summary>
    public string? Name { get; }

    /// <summary>Gets how well the entry is backed.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets the first school year the code applies to.</summary>
    public SchoolYear? From { get; }

    /// <summary>Gets the last school year the code applies to.</summary>
    public SchoolYear? Until { get; }

    /// <summary>Gets whether the code applies in <paramref name="year"/> (any year when <see langword="null"/>).</summary>
    /// <param name="year">The school year.</param>
    /// <returns><see langword="true"/> when the code is in force.</returns>
    public bool AppliesTo(SchoolYear? year) =>
        year is not { } y || ((From is not { } f || y >= f) && (Until is not { } u || y <= u));

    /// <inheritdoc />
    public override string ToString() => Name is null ? Code : $"{Code} {Name}";
}
