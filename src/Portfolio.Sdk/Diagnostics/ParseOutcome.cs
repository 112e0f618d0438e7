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

}

/// <summary>Creates <see cref="ParseOutcome{T}"/> values.</summary>
public static class ParseOutcome
{
    /// <summary>Creates an outcome: successful unless a diagnostic is an error, in which case the value is dropped.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value, when one was produced.</param>
    /// <param name="diagnostics">Every diagnostic found.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<T> From<T>(T? value, IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var list = diagnostics.ToArray();
        var success = !Array.Exists(list, d => d.IsError);
        return new ParseOutcome<T>(success ? value : default, success, list);
    }

    /// <summary>Creates a failed outcome.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="diagnostics">The diagnostics; at least one should be an error.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<T> Failure<T>(params Diagnostic[] diagnostics) => From<T>(default, diagnostics);
}
