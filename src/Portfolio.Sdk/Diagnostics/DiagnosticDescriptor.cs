namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// The catalogue entry behind one diagnostic code: its default severity, a short title and the message
/// templates in Traditional Chinese and English (診斷代碼說明).
/// </summary>
public sealed class DiagnosticDescriptor
{
    internal DiagnosticDescriptor(string code, DiagnosticSeverity severity, string title, string messageFormat, string messageFormatEnglish, IReadOnlyList<int>? rawValueArguments = null)
    {
        RawValueArguments = rawValueArguments ?? [];
        Code = code;
        Severity = severity;
        Title = title;
        MessageFormat = messageFormat;
        MessageFormatEnglish = messageFormatEnglish;
    }

    /// <summary>Gets the stable code, e.g. <c>PF0106</c>.</summary>
    public string Code { get; }

    /// <summary>Gets the default severity of diagnostics with this code.</summary>
    public DiagnosticSeverity Severity { get; }

    /// <summary>Gets a short English title, e.g. <c>national-id-check-digit</c>.</summary>
    public string Title { get; }

    /// <summary>Gets the composite-format message template in Traditional Chinese.</summary>
    public string MessageFormat { get; }

    /// <summary>Gets the composite-format message template in English.</summary>
    public string MessageFormatEnglish { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Code} ({Title})";

    /// <summary>Gets the positions of the message arguments that quote a value read from outside data (a cell, a field).</summary>
    internal IReadOnlyList<int> RawValueArguments { get; }
}
