using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portfolio.Sdk.Privacy;

/// <summary>
/// Masks personal data (個人資料遮罩) for display, logs and exception messages. The SDK's own types call this
/// in <c>ToString()</c>; callers use it when they log a raw value.
/// </summary>
public static partial class Redaction
{
    /// <summary>The most text elements a quoted value keeps (<see cref="QuoteText(string?)"/>, <see cref="QuoteValue"/>); longer ones are cut.</summary>
    public const int MaxQuotedLength = 64;

    /// <summary>
    /// Makes text from outside data safe to quote in a diagnostic, a log or a reply: anything shaped like a 身分證號 or
    /// 居留證統一證號 (a letter, then 1, 2, 8, 9 or A–D, then 8 digits) is masked with <see cref="MaskIdentifier"/>,
    /// and text longer than <see cref="MaxQuotedLength"/> text elements is cut, with its full length noted.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The safe text; an empty string for <see langword="null"/>.</returns>
    public static string QuoteText(string? text) => QuoteText(text, MaxQuotedLength);

    /// <summary>
    /// Masks everything shaped like a 身分證號 or 居留證統一證號 inside a longer text (a message from a gateway, an error)
    /// without cutting it: for text this SDK did not compose, before it is stored or logged.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with IDs masked; <see langword="null"/> for <see langword="null"/>.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? MaskIdentifiersIn(string? text) =>
        string.IsNullOrEmpty(text) ? text : IdShape().Replace(text, MaskMatch);

    internal static string QuoteText(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var cut = Cut(text, maxLength);
        return IdShape().Replace(cut, MaskMatch);
    }

    /// <summary>
    /// Makes a value read from a cell or field safe to quote: as <see cref="QuoteText(string?)"/>, and every letter outside
    /// ASCII becomes <c>○</c>, so a student's name typed into a score or date column is never echoed
    /// (<c>劉冠宇</c> → <c>○○○</c>); digits, ASCII letters and punctuation stay, which is what a wrong number,
    /// date or code is made of.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The safe value; an empty string for <see langword="null"/>.</returns>
    public static string QuoteValue(string? value)
    {
        var text = QuoteText(value);
        if (text.All(char.IsAscii))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(!char.IsAscii(c) && (char.IsLetter(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter) ? '○' : c);
        }

        return sb.ToString();
    }

    private static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var info = new StringInfo(text);
        if (info.LengthInTextElements <= maxLength)
        {
            return text;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{info.SubstringByTextElements(0, maxLength)}…({info.LengthInTextElements})");
    }

    // A GUID (an item's id in a message or a path) and a lowercase hex digest of 12 or more digits standing alone (a
    // SHA-256 or MD5, or its first 12) are matched whole and kept: their hex digits can happen to take the shape of an
    // ID (c1 and eight digits), and masking them would garble the id or hash without hiding anyone. A lowercase ID
    // alone (a123456789, 10 characters) is still masked.
    private static string MaskMatch(Match match) => match.Groups["keep"].Success ? match.Value : MaskIdentifier(match.Value);

    [GeneratedRegex("(?<keep>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|(?<![0-9A-Za-z])[0-9a-f]{12,}(?![0-9A-Za-z]))|[A-Za-z][1289A-Da-d][0-9]{8}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IdShape();

    /// <summary>The character that replaces hidden characters.</summary>
    public const char MaskCharacter = '*';

    /// <summary>
    /// Masks an identifier such as a 身分證號 or 學號: keeps the first three and last three characters of a
    /// value of 10 or more characters (<c>A12****789</c>), the first and last of a shorter one of at least
    /// 4, and hides values shorter than that entirely.
    /// </summary>
    /// <param name="value">The identifier.</param>
    /// <returns>The masked identifier; an empty string for <see langword="null"/> or empty input.</returns>
    public static string MaskIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var keep = value.Length >= 10 ? 3 : value.Length >= 4 ? 1 : 0;
        return string.Create(value.Length, (value, keep), static (span, state) =>
        {
            var (source, kept) = state;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = i < kept || i >= source.Length - kept ? source[i] : MaskCharacter;
            }
        });
    }

    /// <summary>
    /// Masks a person's name (姓名): keeps the first and last text element of names of three or more
    /// (<c>王○明</c>), the first of two-element names (<c>王○</c>), and hides a one-element name.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns>The masked name; an empty string for <see langword="null"/> or empty input.</returns>
    public static string MaskName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return string.Empty;
        }

        var elements = new List<string>();
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(name);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return elements.Count switch
        {
            1 => "○",
            2 => elements[0] + "○",
            _ => elements[0] + new string('○', elements.Count - 2) + elements[^1],
        };
    }
}
