namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// One problem found in input data (診斷訊息): a stable code such as <c>PF0106</c>, a severity, where it was
/// found, and a message in Traditional Chinese and in English. Validation in this SDK returns diagnostics;
/// it does not throw.
/// </summary>
/// <remarks>
/// Messages never carry a full 身分證號 or a student's name: the validators pass masked values only.
/// Create diagnostics through <see cref="DiagnosticCatalog.Create(string, DiagnosticLocation?, object?[])"/> so
/// that the code, severity and both messages come from the catalogue.
/// </remarks>
public sealed record Diagnostic
{
    /// <summary>Initializes a diagnostic. Prefer <see cref="DiagnosticCatalog.Create(string, DiagnosticLocation?, object?[])"/>.</summary>
    /// <param name="code">The stable code, e.g. <c>PF0106</c>.</param>
    /// <param name="severity">The severity.</param>
    /// <param name="message">The message in Traditional Chinese.</param>
    /// <param name="messageEnglish">The message in English.</param>
    /// <param name="location">Where the problem is, when known.</param>
    public Diagnostic(string code, DiagnosticSeverity severity, string message, string messageEnglish, DiagnosticLocation? location = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(messageEnglish);
        Code = code;
        Severity = severity;
        Message = message;
        MessageEnglish = messageEnglish;
        Location = location;
    }

    /// <summary>Gets the stable code (e.g. <c>PF0106</c>); codes are never reused for another meaning.</summary>
    public string Code { get; }

    /// <summary>Gets the severity.</summary>
    public DiagnosticSeverity Severity { get; init; }

    /// <summary>Gets the message in Traditional Chinese (繁體中文).</summary>
    public string Message { get; }

    /// <summary>Gets the message in English.</summary>
    public string MessageEnglish { get; }

    /// <summary>Gets where the problem was found, when known.</summary>
    public DiagnosticLocation? Location { get; init; }

    /// <summary>Gets a value indicating whether this is an <see cref="DiagnosticSeverity.Error"/>.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Returns a copy of this diagnostic at another location.</summary>
    /// <param name="location">The new location.</param>
    /// <returns>The relocated diagnostic.</returns>
    public Diagnostic At(DiagnosticLocation? location) => this with { Location = location };

    /// <inheritdoc />
    public override string ToString()
    {
        var where = Location is null ? string.Empty : " [" + Location + "]";
        return $"{Code} {Severity.ToString().ToLowerInvariant()}{where}: {Message} / {MessageEnglish}";
    }
}
