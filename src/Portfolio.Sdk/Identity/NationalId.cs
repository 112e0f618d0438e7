using System.Diagnostics.CodeAnalysis;
using System.Text;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Identity;

/// <summary>
/// A student's key in every roster (身分證號): a 國民身分證統一編號, an old-format 居留證統一證號 or a
/// 2021-format 統一證號, each ten characters with a check digit.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ToString()"/> never shows the full number: it returns the masked form (<c>A12****789</c>).
/// Read <see cref="Value"/>, or format with <c>"U"</c>, only where the full number is needed (a roster
/// cell, a database parameter).
/// </para>
/// <para>
/// Parsing accepts surrounding white space, lower-case letters and full-width characters (as typed in
/// Excel), normalises them, and reports that with an information diagnostic (<c>PF0107</c>).
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Portfolio.Sdk.Json.NationalIdJsonConverter))]
public readonly struct NationalId : IEquatable<NationalId>, IFormattable, IParsable<NationalId>
{
    /// <summary>The number of characters of every format.</summary>
    public const int Length = 10;

    // Letter codes of the first character: A=10 ... Z=33, in the order the Ministry of the Interior assigned them.
    private const string LetterOrder = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

    private readonly string? _value;

    private NationalId(string value, NationalIdKind kind)
    {
        _value = value;
        Kind = kind;
    }

    /// <summary>Gets the full, unmasked number. Do not log it.</summary>
    /// <exception cref="InvalidOperationException">This is the default (empty) value.</exception>
    public string Value => _value ?? throw new InvalidOperationException("This NationalId is the default value and holds no number.");

    /// <summary>Gets which document the number comes from.</summary>
    public NationalIdKind Kind { get; }

    /// <summary>Gets a value indicating whether this is the default value, which holds no number.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>Gets the masked form for display, e.g. <c>A12****789</c>.</summary>
    public string Masked => Redaction.MaskIdentifier(_value);

    /// <summary>Determines whether two IDs are equal.</summary>
    /// <param name="left">The first ID.</param>
    /// <param name="right">The second ID.</param>
    /// <returns><see langword="true"/> when both hold the same number.</returns>
    public static bool operator ==(NationalId left, NationalId right) => left.Equals(right);

    /// <summary>Determines whether two IDs differ.</summary>
    /// <param name="left">The first ID.</param>
    /// <param name="right">The second ID.</param>
    /// <returns><see langword="true"/> when the numbers differ.</returns>
    public static bool operator !=(NationalId left, NationalId right) => !left.Equals(right);

    /// <summary>Validates <paramref name="input"/> and reports every problem found.</summary>
    /// <param name="input">The raw text.</param>
    /// <param name="location">Where the text came from, attached to each diagnostic.</param>
    /// <returns>The outcome, with the ID when valid.</returns>
    public static ParseOutcome<NationalId> Validate(string? input, DiagnosticLocation? location = null)
    {
        var diagnostics = new List<Diagnostic>();
        var id = ValidateCore(input, location, diagnostics);
        return ParseOutcome.From<NationalId>(id, diagnostics);
    }

    /// <summary>Parses a valid ID.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid ID; the message shows only a masked form.</exception>
    public static NationalId Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var outcome = Validate(s);
        if (outcome.Success)
        {
            return outcome.Value;
        }

        var first = outcome.Diagnostics.First(d => d.IsError);
        throw new FormatException($"'{Redaction.MaskIdentifier(s.Trim())}' is not a valid national ID: {first.Code} {first.MessageEnglish}.");
    }

    /// <summary>Tries to parse a valid ID.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The ID when valid.</param>
    /// <returns><see langword="true"/> when <paramref name="s"/> is a valid ID.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out NationalId result)
    {
        var outcome = Validate(s);
        result = outcome.Value;
        return outcome.Success;
    }

    /// <inheritdoc cref="Parse(string)" />
    static NationalId IParsable<NationalId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string?, out NationalId)" />
    static bool IParsable<NationalId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NationalId result) => TryParse(s, out result);

    /// <summary>
    /// Computes the check digit for the first nine characters of an ID of any kind. Used to build test data.
    /// </summary>
    /// <param name="firstNine">The first nine characters, already upper case.</param>
    /// <returns>The check digit, 0–9.</returns>
    /// <exception cref="ArgumentException">The characters do not fit any ID format.</exception>
    public static int ComputeCheckDigit(string firstNine)
    {
        ArgumentNullException.ThrowIfNull(firstNine);
        if (firstNine.Length != Length - 1 || LetterValue(firstNine[0]) < 0 || ClassifySecond(firstNine[1]) is null
            || !CharacterSets.AllDigits(firstNine.AsSpan(2)))
        {
            throw new ArgumentException("Expected a letter, a valid second character and seven digits.", nameof(firstNine));
        }

        return CheckDigitOf(firstNine);
    }

    /// <inheritdoc />
    public bool Equals(NationalId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NationalId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the masked form; the full number never appears here.</summary>
    /// <returns>The masked ID.</returns>
    public override string ToString() => Masked;

    /// <summary>
    /// Formats the ID. <c>null</c>, <c>"G"</c> and <c>"M"</c> give the masked form; <c>"U"</c> gives the
    /// full number and is the caller's explicit opt-in.
    /// </summary>
    /// <param name="format">The format.</param>
    /// <param name="formatProvider">Ignored.</param>
    /// <returns>The formatted ID.</returns>
    /// <exception cref="FormatException">The format is not one of those above.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "G" or "M" => Masked,
        "U" => _value ?? string.Empty,
        _ => throw new FormatException($"Unknown NationalId format '{format}'. Use \"M\" (masked) or \"U\" (unmasked)."),
    };

    /// <summary>
    /// Whether <paramref name="text"/> is a valid ID exactly as written (upper case, ASCII, no spaces, right check
    /// digit), so that <see cref="Validate"/> would report nothing at all. Allocates nothing; the row validator's fast
    /// path, which falls back to <see cref="Validate"/> for anything else.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when the text is a valid ID in its canonical form.</returns>
    internal static bool IsCanonicalValid(ReadOnlySpan<char> text) =>
        text.Length == Length && LetterValue(text[0]) >= 0 && ClassifySecond(text[1]) is not null
        && CharacterSets.AllDigits(text[2..]) && text[9] - '0' == CheckDigitOf(text);

    private static NationalId ValidateCore(string? input, DiagnosticLocation? location, List<Diagnostic> diagnostics)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdEmpty, location));
            return default;
        }

        var text = Normalise(input);
        if (!string.Equals(text, input, StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdNormalised, location));
        }

        if (text.Length != Length)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdLength, location, text.Length));
            return default;
        }

        var errorsBefore = diagnostics.Count;
        if (LetterValue(text[0]) < 0)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdFirstLetter, location));
        }

        var kind = ClassifySecond(text[1]);
        if (kind is null)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdSecondCharacter, location));
        }

        if (!CharacterSets.AllDigits(text.AsSpan(2)))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdDigits, location));
        }

        if (diagnostics.Count > errorsBefore)
        {
            return default;
        }

        var expected = CheckDigitOf(text);
        if (text[9] - '0' != expected)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.NationalIdCheckDigit, location, expected));
            return default;
        }

        return new NationalId(text, kind!.Value);
    }

    private static string Normalise(string input)
    {
        var text = input.Trim();
        if (!Ascii.IsValid(text))
        {
            // Full-width letters and digits (Ａ１２…) typed in spreadsheets become ASCII.
            text = text.Normalize(NormalizationForm.FormKC).Trim();
        }

        return text.ToUpperInvariant();
    }

    private static NationalIdKind? ClassifySecond(char c) => c switch
    {
        '1' or '2' => NationalIdKind.NationalIdentityCard,
        '8' or '9' => NationalIdKind.ResidentCertificate,
        >= 'A' and <= 'D' => NationalIdKind.ResidentCertificateLegacy,
        _ => null,
    };

    private static int LetterValue(char c)
    {
        var index = LetterOrder.IndexOf(c, StringComparison.Ordinal);
        return c is >= 'A' and <= 'Z' && index >= 0 ? 10 + index : -1;
    }

    private static int CheckDigitOf(ReadOnlySpan<char> text)
    {
        var letter = LetterValue(text[0]);
        var second = text[1] is >= 'A' and <= 'Z' ? LetterValue(text[1]) % 10 : text[1] - '0';
        var sum = (letter / 10) + (letter % 10 * 9) + (second * 8);
        for (var i = 2; i <= 8; i++)
        {
            sum += (text[i] - '0') * (9 - i);
        }

        return (10 - (sum % 10)) % 10;
    }
}
