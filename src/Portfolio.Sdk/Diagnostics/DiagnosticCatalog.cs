using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// The catalogue of every diagnostic code the SDK reports (診斷代碼表), loaded from an embedded resource
/// that holds each message in Traditional Chinese and English.
/// </summary>
public sealed class DiagnosticCatalog
{
    private static readonly Lazy<DiagnosticCatalog> DefaultInstance = new(LoadEmbedded);
    private readonly FrozenDictionary<string, DiagnosticDescriptor> _byCode;

    private DiagnosticCatalog(IEnumerable<DiagnosticDescriptor> descriptors)
    {
        _byCode = descriptors.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        Descriptors = [.. _byCode.Values.OrderBy(d => d.Code, StringComparer.Ordinal)];
    }

    /// <summary>Gets the catalogue shipped with the SDK.</summary>
    public static DiagnosticCatalog Default => DefaultInstance.Value;

    /// <summary>Gets every descriptor, ordered by code.</summary>
    public IReadOnlyList<DiagnosticDescriptor> Descriptors { get; }

    /// <summary>Creates a diagnostic from the default catalogue.</summary>
    /// <param name="code">A code from <see cref="DiagnosticCodes"/>.</param>
    /// <param name="location">Where the problem is.</param>
    /// <param name="arguments">Values for the message templates. Never pass unmasked personal data.</param>
    /// <returns>The diagnostic.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not in the catalogue.</exception>
    public static Diagnostic Create(string code, DiagnosticLocation? location, params object?[] arguments) =>
        Default.CreateDiagnostic(code, location, arguments);

    /// <summary>Gets the descriptor of <paramref name="code"/>.</summary>
    /// <param name="code">The code.</param>
    /// <param name="descriptor">The descriptor, when found.</param>
    /// <returns><see langword="true"/> when the code is in the catalogue.</returns>
    public bool TryGetDescriptor(string code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DiagnosticDescriptor? descriptor) =>
        _byCode.TryGetValue(code, out descriptor);

    /// <summary>Creates a diagnostic from this catalogue.</summary>
    /// <param name="code">The code.</param>
    /// <param name="location">Where the problem is.</param>
    /// <param name="arguments">Values for the message templates. Never pass unmasked personal data.</param>
    /// <returns>The diagnostic.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not in the catalogue.</exception>
    public Diagnostic CreateDiagnostic(string code, DiagnosticLocation? location, params object?[] arguments)
    {
        const int ComposedTextMaxLength = 1024;
        ArgumentNullException.ThrowIfNull(code);
        if (!_byCode.TryGetValue(code, out var descriptor))
        {
            throw new ArgumentException($"Unknown diagnostic code '{code}'.", nameof(code));
        }

        // Every quoted text passes through redaction: ID-shaped text is masked and long text cut; a value read from
        // outside data (a cell) is cut short and also has its non-ASCII letters hidden, so a name in the wrong column is
        // never echoed. Text the SDK composed (a policy problem, a file name) keeps a longer bound.
        var safe = new object?[arguments?.Length ?? 0];
        for (var i = 0; i < safe.Length; i++)
        {
            var argument = arguments![i];
            safe[i] = argument switch
            {
                null => null,
                string text => descriptor.RawValueArguments.Contains(i) ? Privacy.Redaction.QuoteValue(text) : Privacy.Redaction.QuoteText(text, ComposedTextMaxLength),
                IFormattable or bool => argument,
                _ => Privacy.Redaction.QuoteText(Convert.ToString(argument, CultureInfo.InvariantCulture), ComposedTextMaxLength),
            };
        }

        return new Diagnostic(
            descriptor.Code,
            descriptor.Severity,
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, safe),
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormatEnglish, safe),
            SafeLocation(location));
    }

    // A location's texts can come from the file too (a sheet name, a header, an entry name): IDs masked, length bounded.
    private static DiagnosticLocation? SafeLocation(DiagnosticLocation? location)
    {
        if (location is null)
        {
            return null;
        }

        static string? Safe(string? text) => text is null ? null : Privacy.Redaction.QuoteText(text, 256);
        return location with { Source = Safe(location.Source), Sheet = Safe(location.Sheet), Column = Safe(location.Column), Path = Safe(location.Path) };
    }

    private static DiagnosticCatalog LoadEmbedded()
    {
        using var stream = typeof(DiagnosticCatalog).Assembly.GetManifestResourceStream("Portfolio.Sdk.DiagnosticMessages.json")
            ?? throw new InvalidOperationException("The embedded diagnostic catalogue is missing from Portfolio.Sdk.");
        using var document = JsonDocument.Parse(stream);
        var descriptors = new List<DiagnosticDescriptor>();
        foreach (var property in document.RootElement.GetProperty("diagnostics").EnumerateObject())
        {
            var entry = property.Value;
            descriptors.Add(new DiagnosticDescriptor(
                property.Name,
                Enum.Parse<DiagnosticSeverity>(entry.GetProperty("severity").GetString()!, ignoreCase: true),
                entry.GetProperty("title").GetString()!,
                entry.GetProperty("zh").GetString()!,
                entry.GetProperty("en").GetString()!,
                entry.TryGetProperty("values", out var values) ? [.. values.EnumerateArray().Select(v => v.GetInt32())] : null));
        }

        return new DiagnosticCatalog(descriptors);
    }
}
