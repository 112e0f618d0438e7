namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// The result of validating outside input into a domain value: the value when the input is valid, and
/// every diagnostic found (errors, and warnings or information that do not stop the value).
/// </summary>
/// <typeparam name="T">The domain value type.</typeparam>
public sealed class ParseOutcome<T>
{
    internal ParseOutcome(T? value, bool success, IReadOnlyList<Diagnostic> diagnostics)
    {
        Value = value;
        Success = success;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets the parsed value; meaningful only when <see cref="Success"/> is <see langword="true"/>.</summary>
    public T? Value { get; }

    /// <summary>Gets a value indicating whether the input was valid (no diagnostic of severity error).</summary>
    public bool Success { get; }

    /// <summary>Gets every diagnostic found, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    internal static ParseOutcome<T> From(T? value, List<Diagnostic> diagnostics)
    {
        var success = !diagnostics.Exists(d => d.IsError);
        return new ParseOutcome<T>(success ? value : default, success, diagnostics.Count == 0 ? [] : diagnostics.ToArray());
    }
}
