using System.Diagnostics.CodeAnalysis;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Schools;

/// <summary>
/// A school code (學校代碼): six digits or upper-case letters, e.g. <c>060322</c>, as on every roster cover sheet
/// and in characters 4–9 of a 課程代碼.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Portfolio.Sdk.Json.SchoolCodeJsonConverter))]
public readonly record struct SchoolCode : IParsable<SchoolCode>
{
    /// <summary>The number of characters.</summary>
    public const int Length = 6;

    private readonly string? _value;

    private SchoolCode(string value) => _value = value;

    /// <summary>Gets the code.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets whether the code is a known test or administrative code (e.g. <c>000000</c> 測試高中).</summary>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <returns><see langword="true"/> for a test code.</returns>
    public bool IsTestSchool(CodeTableCatalog? codes = null) =>
        (codes ?? CodeTableCatalog.Default)[CodeTableIds.TestSchool].TryGet(Value, null, out _);

    /// <summary>
    /// Validates a school code: length, characters, and a warning (<c>PF0304</c>) for test and administrative codes.
    /// </summary>
    /// <param name="input">The text.</param>
    /// <param name="location">Where the text came from.</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<SchoolCode> Validate(string? input, DiagnosticLocation? location = null, CodeTableCatalog? codes = null)
    {
        var diagnostics = new List<Diagnostic>();
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolCodeEmpty, location));
            return ParseOutcome.From<SchoolCode>(default, diagnostics);
        }

        if (text.Length != Length)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolCodeLength, location, text.Length));
            return ParseOutcome.From<SchoolCode>(default, diagnostics);
        }

        if (!CharacterSets.AllDigitsOrUpperLetters(text))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolCodeCharacters, location, text));
            return ParseOutcome.From<SchoolCode>(default, diagnostics);
        }

        var code = new SchoolCode(text);
        var tests = (codes ?? CodeTableCatalog.Default)[CodeTableIds.TestSchool];
        if (tests.TryGet(text, null, out var entry))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolCodeTest, location, text, entry.Name ?? "?"));
        }

        return ParseOutcome.From<SchoolCode>(code, diagnostics);
    }

    /// <summary>Parses a school code (test codes are accepted; check <see cref="IsTestSchool"/>).</summary>
    /// <param name="s">The text.</param>
    /// <returns>The code.</returns>
    /// <exception cref="FormatException">The text is not a school code.</exception>
    public static SchoolCode Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var outcome = Validate(s);
        return outcome.Success ? outcome.Value : throw new FormatException(outcome.Diagnostics.First(d => d.IsError).MessageEnglish);
    }

    /// <summary>Tries to parse a school code.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The code.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out SchoolCode result)
    {
        var outcome = Validate(s);
        result = outcome.Value;
        return outcome.Success;
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <inheritdoc cref="Parse(string)" />
    static SchoolCode IParsable<SchoolCode>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string?, out SchoolCode)" />
    static bool IParsable<SchoolCode>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out SchoolCode result) => TryParse(s, out result);
}
