namespace Portfolio.Sdk.Privacy;

/// <summary>
/// Masks personal data (個人資料遮罩) for display, logs and exception messages. The SDK's own types call this
/// in <c>ToString()</c>; callers use it when they log a raw value.
/// </summary>
public static class Redaction
{
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
